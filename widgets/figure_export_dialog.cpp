#include "widgets/figure_export_dialog.h"

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
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QStandardPaths>

#include "widgets/figure_size_editor.h"
#include "widgets/figure_style_editor.h"
#include "widgets/plot_export.h"

namespace moescope::widgets {

namespace {

const QString kGroup = QStringLiteral("figureExport");

int formatIndex(FigureFormat format) { return int(format); }
FigureFormat formatAt(int index) { return index == 1 ? FigureFormat::Pdf : index == 2 ? FigureFormat::Svg : FigureFormat::Png; }

}  // namespace

FigureExportDialog::FigureExportDialog(const QString& suggested_name, const QSize& view_pixels, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export Figure"));
  auto* form = new QFormLayout(this);

  auto* file_row = new QHBoxLayout;
  path_ = new QLineEdit(this);
  path_->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48);
  auto* browse = new QPushButton(tr("&Browse…"), this);
  file_row->addWidget(path_, 1);
  file_row->addWidget(browse);
  // A row whose field is a layout gets no buddy by itself: without one the "&" would show.
  auto* file_label = new QLabel(tr("&File:"), this);
  file_label->setBuddy(path_);
  form->addRow(file_label, file_row);

  format_ = new QComboBox(this);
  format_->addItems({tr("PNG image"), tr("PDF document (vector)"), tr("SVG image (vector)")});
  form->addRow(tr("F&ormat:"), format_);

  size_ = new FigureSizeEditor(this);
  size_->setViewPixels(view_pixels);
  form->addRow(tr("&Size (width × height):"), size_);
  style_ = new FigureStyleEditor(this);
  form->addRow(style_);

  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setEnabled(false);  // a hint, drawn in the palette's quieter colour
  form->addRow(note_);
  error_ = new QLabel(this);
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #B2182B"));
  error_->hide();
  form->addRow(error_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
  form->addRow(buttons);

  QSettings settings;
  size_->restore(kGroup);
  style_->restore(kGroup);
  {
    const QSignalBlocker block(format_);
    format_->setCurrentIndex(qBound(0, settings.value(kGroup + QStringLiteral("/format"), 0).toInt(), 2));
  }
  QString folder = settings.value(kGroup + QStringLiteral("/folder")).toString();
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
  const QString base = suggested_name.isEmpty() ? QStringLiteral("figure") : suggested_name;
  path_->setText(QDir(folder).filePath(base + QLatin1Char('.') + formatSuffix(format())));

  connect(browse, &QPushButton::clicked, this, &FigureExportDialog::chooseFile);
  connect(format_, qOverload<int>(&QComboBox::currentIndexChanged), this, &FigureExportDialog::onFormatChanged);
  connect(path_, &QLineEdit::textEdited, this, &FigureExportDialog::onPathEdited);
  connect(size_, &FigureSizeEditor::changed, error_, &QWidget::hide);
  connect(buttons, &QDialogButtonBox::accepted, this, &FigureExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &FigureExportDialog::reject);
  updateNote();
}

QString FigureExportDialog::path() const { return path_->text().trimmed(); }

void FigureExportDialog::setPath(const QString& path) {
  path_->setText(path);
  onPathEdited();
}

FigureFormat FigureExportDialog::format() const { return formatAt(format_->currentIndex()); }

void FigureExportDialog::setFormat(FigureFormat format) { format_->setCurrentIndex(formatIndex(format)); }

FigureSize FigureExportDialog::figureSize() const { return size_->figureSize(); }

void FigureExportDialog::setFigureSize(const FigureSize& size) { size_->setFigureSize(size); }

QString FigureExportDialog::note() const { return note_->text(); }

FigureStyle FigureExportDialog::figureStyle() const { return style_->figureStyle(); }

void FigureExportDialog::chooseFile() {
  QString filter;
  const QString chosen = QFileDialog::getSaveFileName(this, tr("Export Figure"), path(), plotExportFilters(), &filter);
  if (chosen.isEmpty()) return;
  QString file = chosen;
  if (QFileInfo(file).suffix().isEmpty()) {
    // The chosen filter names the format when the user typed a bare name.
    if (filter.contains(QLatin1String("*.pdf"))) file += QLatin1String(".pdf");
    else if (filter.contains(QLatin1String("*.svg"))) file += QLatin1String(".svg");
    else file += QLatin1String(".png");
  }
  setPath(file);
}

void FigureExportDialog::onFormatChanged() {
  // The file name follows the format, so the two never disagree.
  QString file = path();
  const QFileInfo info(file);
  if (figureFormatFromPath(file) || info.suffix().isEmpty()) {
    if (!info.suffix().isEmpty()) file.chop(info.suffix().size() + 1);
    path_->setText(file + QLatin1Char('.') + formatSuffix(format()));
  }
  updateNote();
}

void FigureExportDialog::onPathEdited() {
  if (const auto format = figureFormatFromPath(path()); format && *format != this->format()) {
    const QSignalBlocker block(format_);
    format_->setCurrentIndex(formatIndex(*format));
  }
  updateNote();
}

void FigureExportDialog::updateNote() {
  const FigureFormat f = format();
  size_->setDpiEnabled(f == FigureFormat::Png);
  switch (f) {
    case FigureFormat::Png:
      note_->setText(tr("A raster image of exactly this size at this resolution; the file records the DPI."));
      break;
    case FigureFormat::Pdf:
      note_->setText(tr("Vector graphics: the page is exactly this size (to the nearest point) and the "
                        "fonts are embedded."));
      break;
    case FigureFormat::Svg:
      note_->setText(tr("Vector graphics: width and height are exactly this size; text stays text, "
                        "editable in Inkscape or Illustrator."));
      break;
  }
  error_->hide();
}

void FigureExportDialog::accept() {
  QString problem;
  const QString file = path();
  const QString folder = QFileInfo(file).absolutePath();
  if (file.isEmpty()) problem = tr("Choose a file to export to.");
  else if (!figureFormatFromPath(file)) problem = tr("The file name must end in .png, .pdf or .svg.");
  else if (!QFileInfo(folder).isDir()) problem = tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(folder));
  else figureSize().isValid(&problem);
  if (!problem.isEmpty()) {
    error_->setText(problem);
    error_->show();
    return;
  }
  QSettings settings;
  size_->save(kGroup);
  style_->save(kGroup);
  settings.setValue(kGroup + QStringLiteral("/format"), formatIndex(format()));
  settings.setValue(kGroup + QStringLiteral("/folder"), folder);
  QDialog::accept();
}

QString suggestedFigureName(const QWidget* view) {
  QString name = QString::fromLatin1(view->metaObject()->className()).section(QStringLiteral("::"), -1);
  if (name.endsWith(QLatin1String("View"))) name.chop(4);
  static const QRegularExpression boundary(QStringLiteral("([a-z0-9])([A-Z])"));
  name.replace(boundary, QStringLiteral("\\1_\\2"));
  name = name.toLower();
  return name.isEmpty() ? QStringLiteral("figure") : name;
}

bool exportFigureWithDialog(QWidget* view, QWidget* parent, QString* path, QString* error) {
  FigureExportDialog dialog(suggestedFigureName(view), view->size(), parent);
  dialog.styleEditor()->setModelName(view->window()->property(kFigureModelNameProperty).toString());
  if (dialog.exec() != QDialog::Accepted) return false;
  *path = dialog.path();
  error->clear();
  exportFigure(view, *path, dialog.figureSize(), dialog.figureStyle(), error);
  return true;
}

}  // namespace moescope::widgets
