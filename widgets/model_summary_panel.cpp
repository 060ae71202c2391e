#include "widgets/model_summary_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "widgets/elided_label.h"

namespace moescope::widgets {

namespace {

constexpr qsizetype kWholeValueLength = 24;

}  // namespace

ModelSummaryPanel::ModelSummaryPanel(QWidget* parent) : QWidget(parent) {
  auto* column = new QVBoxLayout(this);
  title_ = new QLabel(tr("No model open"), this);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  column->addWidget(title_);
  form_ = new QFormLayout;
  form_->setLabelAlignment(Qt::AlignRight);
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form_->setHorizontalSpacing(10);
  form_->setVerticalSpacing(3);
  column->addLayout(form_);
  column->addStretch(1);
}

void ModelSummaryPanel::setTitle(const QString& title) {
  title_->setText(title.isEmpty() ? tr("No model open") : title);
}

void ModelSummaryPanel::setRows(const SummaryRows& rows) {
  rows_ = rows;
  while (form_->rowCount() > 0) form_->removeRow(0);
  for (const auto& [label, value] : rows_) {
    // One line each: a form layout in a dock gives a wrapped value no room for its second line.
    const bool path = value.startsWith(QLatin1Char('/'));
    auto* field = new ElidedLabel(value, path ? Qt::ElideMiddle : Qt::ElideRight, this);
    // Short values are the figures people read (7.0 M, 8, BF16): never cut, however long the
    // translated labels beside them; the panel grows instead. Long descriptions may elide.
    if (value.size() <= kWholeValueLength) field->setMinimumWidth(field->sizeHint().width());
    // Users copy these numbers into notes and papers.
    field->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form_->addRow(label + QLatin1Char(':'), field);
  }
}

QString ModelSummaryPanel::value(const QString& label) const {
  for (const auto& [key, value] : rows_)
    if (key == label) return value;
  return {};
}

}  // namespace moescope::widgets
