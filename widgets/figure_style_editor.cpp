#include "widgets/figure_style_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace moescope::widgets {

namespace {

// The title combo's entries, in FigureStyle::Title's order.
int titleIndex(FigureStyle::Title title) { return int(title); }
FigureStyle::Title titleAt(int index) {
  return index == 1 ? FigureStyle::Title::Hidden : index == 2 ? FigureStyle::Title::Custom : FigureStyle::Title::Automatic;
}

}  // namespace

FigureStyleEditor::FigureStyleEditor(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);

  auto* title_row = new QHBoxLayout;
  title_ = new QComboBox(this);
  title_->addItems({tr("The view's title"), tr("No title"), tr("This title:")});
  custom_title_ = new QLineEdit(this);
  custom_title_->setPlaceholderText(tr("e.g. the model's name"));
  title_row->addWidget(title_);
  title_row->addWidget(custom_title_, 1);
  // Rows whose field is a layout get no buddy by themselves: without one the "&" would show.
  auto* title_label = new QLabel(tr("&Title:"), this);
  title_label->setBuddy(title_);
  form->addRow(title_label, title_row);
  model_in_title_ = new QCheckBox(tr("Put the &model's name before the title"), this);
  form->addRow(QString(), model_in_title_);
  captions_ = new QCheckBox(tr("&Captions under plots (agreement, entropy)"), this);
  captions_->setChecked(true);
  form->addRow(QString(), captions_);

  auto* font_row = new QHBoxLayout;
  font_ = new QComboBox(this);
  font_->addItem(tr("Interface font"));
  font_->addItems(QFontDatabase::families());
  size_ = new QDoubleSpinBox(this);
  size_->setRange(0, 30);
  size_->setSingleStep(0.5);
  size_->setDecimals(1);
  size_->setSuffix(tr(" pt"));
  // 0 stands for the size the figure's width implies.
  size_->setSpecialValueText(tr("By width"));
  auto* paper = new QPushButton(tr("&Paper Style"), this);
  paper->setToolTip(tr("The look of the paper's own figures: the model's name as the only title, no captions"));
  font_row->addWidget(font_, 1);
  font_row->addWidget(size_);
  font_row->addWidget(paper);
  auto* font_label = new QLabel(tr("Fo&nt:"), this);
  font_label->setBuddy(font_);
  form->addRow(font_label, font_row);

  connect(title_, qOverload<int>(&QComboBox::currentIndexChanged), this, &FigureStyleEditor::updateEnabled);
  connect(paper, &QPushButton::clicked, this, &FigureStyleEditor::applyPaperStyle);
  updateEnabled();
}

void FigureStyleEditor::setModelName(const QString& name) {
  model_name_ = name;
  model_in_title_->setEnabled(!name.isEmpty());
  if (custom_title_->text().isEmpty()) custom_title_->setText(name);
}

FigureStyle FigureStyleEditor::figureStyle() const {
  FigureStyle style;
  style.title = titleAt(title_->currentIndex());
  style.custom_title = custom_title_->text();
  style.model_name = model_name_;
  style.with_model_name = model_in_title_->isChecked() && !model_name_.isEmpty();
  style.captions = captions_->isChecked();
  style.font_family = font_->currentIndex() > 0 ? font_->currentText() : QString();
  style.body_points = size_->value();
  return style;
}

void FigureStyleEditor::setFigureStyle(const FigureStyle& style) {
  title_->setCurrentIndex(titleIndex(style.title));
  custom_title_->setText(style.custom_title);
  model_in_title_->setChecked(style.with_model_name);
  captions_->setChecked(style.captions);
  const int font = style.font_family.isEmpty() ? 0 : font_->findText(style.font_family);
  font_->setCurrentIndex(font < 0 ? 0 : font);
  size_->setValue(style.body_points);
  updateEnabled();
}

void FigureStyleEditor::applyPaperStyle() {
  FigureStyle style = FigureStyle::paper(model_name_);
  style.font_family = figureStyle().font_family;
  style.body_points = size_->value();
  setFigureStyle(style);
}

void FigureStyleEditor::restore(const QString& group) {
  QSettings settings;
  FigureStyle style;
  style.title = titleAt(settings.value(group + QStringLiteral("/title"), 0).toInt());
  style.custom_title = settings.value(group + QStringLiteral("/customTitle")).toString();
  style.with_model_name = settings.value(group + QStringLiteral("/modelName"), false).toBool();
  style.captions = settings.value(group + QStringLiteral("/captions"), true).toBool();
  style.font_family = settings.value(group + QStringLiteral("/font")).toString();
  style.body_points = settings.value(group + QStringLiteral("/fontSize"), 0.0).toDouble();
  setFigureStyle(style);
}

void FigureStyleEditor::save(const QString& group) const {
  QSettings settings;
  const FigureStyle style = figureStyle();
  settings.setValue(group + QStringLiteral("/title"), titleIndex(style.title));
  settings.setValue(group + QStringLiteral("/customTitle"), style.custom_title);
  settings.setValue(group + QStringLiteral("/modelName"), model_in_title_->isChecked());
  settings.setValue(group + QStringLiteral("/captions"), style.captions);
  settings.setValue(group + QStringLiteral("/font"), style.font_family);
  settings.setValue(group + QStringLiteral("/fontSize"), style.body_points);
}

void FigureStyleEditor::updateEnabled() {
  custom_title_->setEnabled(titleAt(title_->currentIndex()) == FigureStyle::Title::Custom);
}

}  // namespace moescope::widgets
