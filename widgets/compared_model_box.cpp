#include "widgets/compared_model_box.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include "widgets/comparison_data.h"
#include "widgets/selection_model.h"

namespace moescope::widgets {

ComparedModelBox::ComparedModelBox(SelectionModel* selection, QWidget* parent) : QWidget(parent), selection_(selection) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  label_ = new QLabel(tr("&Model:"), this);
  combo_ = new QComboBox(this);
  combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  combo_->setToolTip(tr("The model set against the reference in the comparison views"));
  label_->setBuddy(combo_);
  row->addWidget(label_);
  row->addWidget(combo_);
  connect(combo_, qOverload<int>(&QComboBox::activated), selection_, &SelectionModel::setComparedModel);
  connect(selection_, &SelectionModel::comparedModelChanged, combo_, [this](int difference) {
    const QSignalBlocker blocker(combo_);
    combo_->setCurrentIndex(difference);
  });
  hide();
}

void ComparedModelBox::setComparison(const ComparisonData* comparison) {
  const QSignalBlocker blocker(combo_);
  combo_->clear();
  if (comparison) {
    const QString reference = comparison->models.value(comparison->reference);
    for (int d = 0; d < comparison->differences.size(); ++d)
      combo_->addItem(tr("%1 vs %2").arg(comparison->modelName(d), reference));
  }
  combo_->setCurrentIndex(qMin(selection_->comparedModel(), combo_->count() - 1));
  setVisible(combo_->count() > 1);
}

}  // namespace moescope::widgets
