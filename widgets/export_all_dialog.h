#pragma once
// File > Export All Figures: the folder, the layers ("0,15,31", "all"), the formats and the
// printed size of the paper's figure set. Remembers the last choices.
#include <QDialog>
#include <QVector>

#include "widgets/figure_batch.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace moescope::widgets {

class FigureSizeEditor;
class FigureStyleEditor;

class ExportAllDialog : public QDialog {
  Q_OBJECT

 public:
  // layers: decoder layer number of each MoE layer; current: the selected layer's index;
  // token: the selected token, whose gate scores are exported (-1: none).
  ExportAllDialog(const QVector<int>& layers, int current, int token, QWidget* parent = nullptr);

  // The batch the entries describe (valid after accept()).
  FigureBatchRequest request() const { return request_; }

  QLineEdit* folderEdit() const { return folder_; }
  QLineEdit* layersEdit() const { return layers_edit_; }
  QCheckBox* formatBox(FigureFormat format) const;
  QComboBox* colourRangeBox() const { return colour_range_; }
  FigureSizeEditor* sizeEditor() const { return size_; }
  FigureStyleEditor* styleEditor() const { return style_; }

 public slots:
  // Checks the entries and remembers them; stays open with the problem shown otherwise.
  void accept() override;

 private:
  void chooseFolder();
  void restoreSettings();
  void saveSettings() const;

  QVector<int> layers_;
  int token_ = -1;
  FigureBatchRequest request_;
  QLineEdit* folder_ = nullptr;
  QLineEdit* layers_edit_ = nullptr;
  QCheckBox* png_ = nullptr;
  QCheckBox* pdf_ = nullptr;
  QCheckBox* svg_ = nullptr;
  FigureSizeEditor* size_ = nullptr;
  FigureStyleEditor* style_ = nullptr;
  QCheckBox* same_range_ = nullptr;
  QComboBox* colour_range_ = nullptr;
  QLabel* error_ = nullptr;
};

}  // namespace moescope::widgets
