#include "widgets/export_all_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>

#include "widgets/figure_size_editor.h"
#include "widgets/figure_style_editor.h"
#include "widgets/layer_list.h"

namespace moescope::widgets {

namespace {

const QString kGroup = QStringLiteral("exportAll");

}  // namespace

ExportAllDialog::ExportAllDialog(const QVector<int>& layers, int current, int token, QWidget* parent)
    : QDialog(parent), layers_(layers), token_(token) {
  setWindowTitle(tr("Export All Figures"));
  auto* form = new QFormLayout(this);

  auto* intro = new QLabel(tr("Writes the paper's figure set: per layer the weight similarity (up, gate, "
                              "down), neuron-mean similarity, gate-embedding similarity, expert-output "
                              "similarity, routing heatmap, rank counts, routing statistics and the gate "
                              "scores of the selected token; once the diversity curves, the rank counts "
                              "over all layers (as a heatmap and as the paper's bars), the routing overview "
                              "and the expert-output similarity of single tokens (first, middle and last "
                              "layers; the tokens around the selected one)."),
                           this);
  intro->setWordWrap(true);
  form->addRow(intro);

  auto* folder_row = new QHBoxLayout;
  folder_ = new QLineEdit(this);
  folder_->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48);
  auto* browse = new QPushButton(tr("&Browse…"), this);
  folder_row->addWidget(folder_, 1);
  folder_row->addWidget(browse);
  // A row whose field is a layout gets no buddy by itself: without one the "&" would show.
  auto* folder_label = new QLabel(tr("&Folder:"), this);
  folder_label->setBuddy(folder_);
  form->addRow(folder_label, folder_row);

  layers_edit_ = new QLineEdit(this);
  layers_edit_->setPlaceholderText(tr("e.g. 0,15,31 or 0-3 or all"));
  layers_edit_->setToolTip(tr("Decoder layer numbers, as the layer slider shows them (%1)").arg(describeLayers(layers_)));
  if (current >= 0 && current < layers_.size()) layers_edit_->setText(QString::number(layers_[current]));
  form->addRow(tr("&Layers:"), layers_edit_);

  auto* formats = new QHBoxLayout;
  png_ = new QCheckBox(tr("PNG"), this);
  pdf_ = new QCheckBox(tr("PDF"), this);
  svg_ = new QCheckBox(tr("SVG"), this);
  formats->addWidget(png_);
  formats->addWidget(pdf_);
  formats->addWidget(svg_);
  formats->addStretch(1);
  form->addRow(tr("Formats:"), formats);

  size_ = new FigureSizeEditor(this);
  form->addRow(tr("&Size (width × height):"), size_);
  style_ = new FigureStyleEditor(this);
  form->addRow(style_);

  same_range_ = new QCheckBox(tr("Same colour range for all layers"), this);
  same_range_->setToolTip(tr("The similarity heatmaps of every layer share one colour scale, so layers compare by colour"));
  form->addRow(same_range_);
  colour_range_ = new QComboBox(this);
  colour_range_->setEditable(true);
  colour_range_->addItems({QStringLiteral("auto"), QStringLiteral("0,1"), QStringLiteral("-1,1")});
  colour_range_->setToolTip(tr("The similarity heatmaps' colour scale: auto (from the values off the diagonal),\n"
                               "or fixed limits 'lower,upper' such as 0,1; values beyond them are marked"));
  form->addRow(tr("Similarity colour &range:"), colour_range_);

  auto* token_note = new QLabel(token_ >= 0 ? tr("Gate scores are drawn for the selected token, number %1, and the "
                                               "token outputs for it and its neighbours.")
                                                .arg(token_)
                                          : tr("Select a token to include its gate scores (the token outputs show "
                                               "the first tokens)."),
                                this);
  token_note->setEnabled(false);
  form->addRow(token_note);

  error_ = new QLabel(this);
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #B2182B"));
  error_->hide();
  form->addRow(error_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
  form->addRow(buttons);

  restoreSettings();
  connect(browse, &QPushButton::clicked, this, &ExportAllDialog::chooseFolder);
  connect(png_, &QCheckBox::toggled, size_, &FigureSizeEditor::setDpiEnabled);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportAllDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportAllDialog::reject);
  size_->setDpiEnabled(png_->isChecked());
}

QCheckBox* ExportAllDialog::formatBox(FigureFormat format) const {
  switch (format) {
    case FigureFormat::Png: return png_;
    case FigureFormat::Pdf: return pdf_;
    case FigureFormat::Svg: return svg_;
  }
  return nullptr;
}

void ExportAllDialog::chooseFolder() {
  const QString chosen = QFileDialog::getExistingDirectory(this, tr("Export All Figures"), folder_->text());
  if (!chosen.isEmpty()) folder_->setText(chosen);
}

void ExportAllDialog::accept() {
  QString problem;
  FigureBatchRequest request;
  request.folder = folder_->text().trimmed();
  request.token = token_;
  request.size = size_->figureSize();
  request.style = style_->figureStyle();
  request.same_similarity_range = same_range_->isChecked();
  request.formats.clear();
  for (FigureFormat format : {FigureFormat::Png, FigureFormat::Pdf, FigureFormat::Svg})
    if (formatBox(format)->isChecked()) request.formats.append(format);
  const auto indices = parseLayerList(layers_edit_->text(), layers_, &problem);
  if (indices) request.layer_indices = *indices;
  if (problem.isEmpty() && request.folder.isEmpty()) problem = tr("Choose a folder for the figures.");
  if (problem.isEmpty() && request.formats.isEmpty()) problem = tr("Choose at least one format.");
  if (problem.isEmpty()) request.size.isValid(&problem);
  if (problem.isEmpty())
    if (const auto range = ColourRange::parse(colour_range_->currentText(), &problem)) request.colour_range = *range;
  if (!problem.isEmpty()) {
    error_->setText(problem);
    error_->show();
    return;
  }
  request_ = request;
  saveSettings();
  QDialog::accept();
}

void ExportAllDialog::restoreSettings() {
  QSettings settings;
  settings.beginGroup(kGroup);
  QString folder = settings.value(QStringLiteral("folder")).toString();
  if (folder.isEmpty())
    folder = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).filePath(QStringLiteral("moescope-figures"));
  folder_->setText(QDir::toNativeSeparators(folder));
  png_->setChecked(settings.value(QStringLiteral("png"), false).toBool());
  pdf_->setChecked(settings.value(QStringLiteral("pdf"), true).toBool());
  svg_->setChecked(settings.value(QStringLiteral("svg"), false).toBool());
  same_range_->setChecked(settings.value(QStringLiteral("sameRange"), false).toBool());
  colour_range_->setCurrentText(settings.value(QStringLiteral("colourRange"), QStringLiteral("auto")).toString());
  settings.endGroup();
  size_->restore(kGroup);
  style_->restore(kGroup);
}

void ExportAllDialog::saveSettings() const {
  QSettings settings;
  settings.beginGroup(kGroup);
  settings.setValue(QStringLiteral("folder"), QDir::fromNativeSeparators(folder_->text().trimmed()));
  settings.setValue(QStringLiteral("png"), png_->isChecked());
  settings.setValue(QStringLiteral("pdf"), pdf_->isChecked());
  settings.setValue(QStringLiteral("svg"), svg_->isChecked());
  settings.setValue(QStringLiteral("sameRange"), same_range_->isChecked());
  settings.setValue(QStringLiteral("colourRange"), colour_range_->currentText().trimmed());
  settings.endGroup();
  size_->save(kGroup);
  style_->save(kGroup);
}

}  // namespace moescope::widgets
