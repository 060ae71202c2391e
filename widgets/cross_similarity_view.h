#pragma once
// C2 and C3 at the selected layer: every expert of the compared model (rows) against every
// expert of the reference (columns), by the cosine of their weight matrices, of their mean
// neurons or of their router rows, with the one-to-one matching of the experts outlined (off
// the diagonal in orange: an expert that now resembles another of the reference most).
#include <QVector>

#include "widgets/comparison_data.h"
#include "widgets/heatmap_view.h"
#include "widgets/run_data_view.h"

class QComboBox;

namespace moescope::widgets {

class ComparedModelBox;
class ComparisonControls;
class SelectionModel;

class CrossSimilarityView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit CrossSimilarityView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRunData(const RunData& data) override;
  // "weights_similarity/up", "neuron_mean_similarity/gate", "router_similarity"; false when
  // the comparison at the selected layer has no such matrix (the choice stays as it was).
  bool setMeasure(const QString& key);
  QString measure() const;
  // The measures offered, in the combo's order.
  static QStringList measureKeys();

  int expertCount() const { return size_; }
  double cellValue(int row, int column) const;
  // The reference's expert outlined in row e, -1 where none is.
  int outlinedColumn(int row) const;
  // Whether row e's outline is drawn as moved (off the diagonal).
  bool isOutlinedAsMoved(int row) const;
  QString titleText() const;

  static QString explanation();
  // The matrix drawn: row expert, then one column per reference expert, then its match.
  DataTable tableData() const override;

 protected:
  int gridRows() const override { return size_; }
  int gridColumns() const override { return size_; }
  QString cellToolTip(int row, int column) const override;
  void cellClicked(int row, int column) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuild();
  void updateSelectionMarker();
  const ExpertCorrespondence* current() const;
  int currentDecoderLayer() const;
  static QString measureLabel(const QString& key);

  SelectionModel* selection_;
  ComparisonDataPtr comparison_;
  QVector<int> layers_;  // the reference's MoE layers: SelectionModel::layer() indexes them
  int size_ = 0;
  QVector<float> values_;
  QVector<int> match_;
  ComparisonControls* controls_ = nullptr;
  QComboBox* measure_combo_ = nullptr;
  ComparedModelBox* model_box_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QVector<QCPItemRect*> outlines_;
  QCPItemRect* column_marker_ = nullptr;
};

}  // namespace moescope::widgets
