#pragma once
// Expert x expert similarity of the current layer (the paper's S1-S4, D2 matrices): pick the
// measure, hover a cell for its value, click it to select the expert pair.
#include <QStringList>
#include <QVector>

#include "widgets/analysis_data.h"
#include "widgets/colour_range.h"
#include "widgets/heatmap_view.h"
#include "widgets/run_data_view.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QWidget;

namespace moescope::widgets {

class SelectionModel;

class SimilarityHeatmapView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit SimilarityHeatmapView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const QVector<LayerAnalyses>& analyses() const { return layers_; }

  // The measures present in any layer, in display order, and the one shown.
  QStringList measures() const;
  QString currentMeasure() const;
  void setCurrentMeasure(const QString& key);
  // The same colour range on every layer (global min/max) instead of each layer's own.
  void setSameRangeForAllLayers(bool same);
  bool sameRangeForAllLayers() const;
  // Automatic (from the data, as above) or fixed limits; values beyond fixed limits take the
  // end colour and a mark (a triangle up above the range, down below it).
  void setColourRange(const ColourRange& range);
  ColourRange colourRange() const;
  // The colour scale's limits now.
  QCPRange shownRange() const;
  // The cells (row, column) marked as beyond the range: side +1 above, -1 below.
  QList<QPair<int, int>> clippedCells(int side) const;
  // The diagonal (an expert against itself) is drawn in one grey, outside the colour scale.
  QCPColorMap* diagonalMap() const { return diagonal_map_; }
  // The hover text of cell (row, column): the pair, the value, and whether it lies beyond the
  // colour range or on the diagonal.
  QString cellToolTip(int row, int column) const override;

  // The value drawn in cell (row, column) of the current matrix; NaN when there is none.
  double cellValue(int row, int column) const;
  int matrixSize() const;
  // True when the blue-white-red gradient centred on 0 is in use.
  bool isDiverging() const { return diverging_; }

  QCPColorMap* colorMap() const { return map_; }
  QCPColorScale* colorScale() const { return scale_; }
  QComboBox* measureCombo() const { return measure_combo_; }
  QCheckBox* sameRangeToggle() const { return same_range_; }
  QComboBox* colourRangeCombo() const { return range_combo_; }
  // "What am I looking at?" for the view in general; the view itself explains the measure shown.
  static QString explanation();
  // The current matrix: layer, measure, expert, then one column per expert.
  DataTable tableData() const override;
  // Blue at lower, white at 0, red at upper (white at an end when 0 lies outside).
  static QCPColorGradient divergingGradient(double lower, double upper);
  // The scale of a similarity over [lower, upper]: viridis, or the diverging map when the range
  // goes below 0; NaN cells transparent. The output-similarity grid draws with it too.
  static QCPColorGradient similarityGradient(double lower, double upper);

 protected:
  int gridRows() const override { return matrixSize(); }
  int gridColumns() const override { return matrixSize(); }
  void cellClicked(int row, int column) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // One entry per MoE layer, in the order of SelectionModel::layer().
  void setAnalyses(const QVector<LayerAnalyses>& layers);

  const SimilarityMatrix* currentMatrix() const;
  void rebuildMeasureCombo();
  void fillMap();
  void updateColors();
  void updateMarker();
  void updateClipMarks(double lower, double upper);
  void updateRangeControls();
  QString displayLabel(int index) const;

  SelectionModel* selection_;
  QVector<LayerAnalyses> layers_;
  QWidget* controls_ = nullptr;
  QComboBox* measure_combo_ = nullptr;
  QCheckBox* same_range_ = nullptr;
  QComboBox* range_combo_ = nullptr;
  QDoubleSpinBox* lower_spin_ = nullptr;
  QDoubleSpinBox* upper_spin_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorMap* diagonal_map_ = nullptr;
  QCPGraph* above_marks_ = nullptr;
  QCPGraph* below_marks_ = nullptr;
  QCPTextElement* clip_note_ = nullptr;
  int shown_size_ = 0;  // side of the matrix last drawn: another side is shown whole
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemRect* pair_marker_ = nullptr;
  QCPItemRect* mirror_marker_ = nullptr;
  bool diverging_ = false;
};

}  // namespace moescope::widgets
