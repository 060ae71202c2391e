#include "widgets/comparison_controls.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

#include "widgets/compared_model_box.h"

namespace moescope::widgets {

ComparisonControls::ComparisonControls(SelectionModel* selection, bool model_choice, QWidget* view) : QWidget(view) {
  row_ = new QHBoxLayout(this);
  row_->setContentsMargins(8, 4, 8, 0);
  if (model_choice) {
    model_box_ = new ComparedModelBox(selection, this);
    row_->addWidget(model_box_);
    row_->addSpacing(12);
  }
  auto* label = new QLabel(tr("Me&asure:"), this);
  measure_ = new QComboBox(this);
  measure_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  label->setBuddy(measure_);
  row_->addWidget(label);
  row_->addWidget(measure_);
  row_->addStretch(1);
  row_->addSpacing(fontMetrics().height() + 10);  // the view's "?" button
}

void ComparisonControls::addControl(QWidget* control) {
  control->setParent(this);
  // Before the stretch and the "?" button's room.
  const int at = row_->count() - 2;
  row_->insertSpacing(at, 12);
  row_->insertWidget(at + 1, control);
}

}  // namespace moescope::widgets
