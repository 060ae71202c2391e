#pragma once
// File > Export Figure: where to, which format, the printed size in cm or inches and, for PNG,
// the resolution. Remembers the last choices.
#include <QDialog>

#include "widgets/figure_size.h"
#include "widgets/figure_style.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace moescope::widgets {

class FigureSizeEditor;
class FigureStyleEditor;

class FigureExportDialog : public QDialog {
  Q_OBJECT

 public:
  // suggested_name: the file's base name ("routing_heatmap"); view_pixels: the view's size on
  // screen, for "Use View Size".
  FigureExportDialog(const QString& suggested_name, const QSize& view_pixels, QWidget* parent = nullptr);

  QString path() const;
  void setPath(const QString& path);
  FigureFormat format() const;
  void setFormat(FigureFormat format);
  FigureSize figureSize() const;
  void setFigureSize(const FigureSize& size);
  FigureSizeEditor* sizeEditor() const { return size_; }
  FigureStyleEditor* styleEditor() const { return style_; }
  FigureStyle figureStyle() const;
  // What the dialog says about the chosen format.
  QString note() const;

 public slots:
  // Checks the entries (a file name, a valid size) and remembers them for next time; stays
  // open with the problem shown otherwise.
  void accept() override;

 private:
  void chooseFile();
  void onFormatChanged();
  void onPathEdited();
  void updateNote();

  QLineEdit* path_ = nullptr;
  QComboBox* format_ = nullptr;
  FigureSizeEditor* size_ = nullptr;
  FigureStyleEditor* style_ = nullptr;
  QLabel* note_ = nullptr;
  QLabel* error_ = nullptr;
};

// A file base name for view: its class name in snake case without "View" ("routing_heatmap").
QString suggestedFigureName(const QWidget* view);

// Asks with FigureExportDialog, then writes view. Returns false when the user cancelled;
// otherwise *path is the file chosen and *error is empty on success.
bool exportFigureWithDialog(QWidget* view, QWidget* parent, QString* path, QString* error);

}  // namespace moescope::widgets
