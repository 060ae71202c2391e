#pragma once
// C1 over the layers: for every model set against the reference, one curve of its routing
// agreement per MoE layer (top-1 agreement, top-k overlap — OLMoE's router saturation —,
// Jaccard or Kendall's tau). With more than one compared model, "Over models" puts the models
// on the horizontal axis in the order given (a run's checkpoints, say): the mean over layers,
// and the selected layer. A click on a point selects its layer.
#include <QVector>
#include <optional>

#include "widgets/comparison_data.h"
#include "widgets/plot_view.h"
#include "widgets/run_data_view.h"

class QCheckBox;
class QComboBox;

namespace moescope::widgets {

class ComparisonControls;
class SelectionModel;

class SaturationCurveView : public PlotView, public RunDataView {
  Q_OBJECT

 public:
  explicit SaturationCurveView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRunData(const RunData& data) override;
  void resetView() override;
  void setMeasure(AgreementMeasure measure);
  AgreementMeasure measure() const;
  // Models on the horizontal axis instead of layers (only with more than one compared model).
  void setOverModels(bool over_models);
  bool overModels() const;
  bool canShowOverModels() const;

  // The MoE layers on the horizontal axis: the reference's, entry i for SelectionModel::layer() i.
  const QVector<int>& layers() const { return layers_; }
  // Difference d's value at MoE layer index i, NaN where absent.
  double value(int difference, int layer_index) const;
  int curveCount() const { return int(graphCount()); }
  QString titleText() const;

  static QString explanation();
  // Layers: one row per layer, one column per compared model. Over models: one row per model
  // with its mean over layers and its value at the selected layer.
  DataTable tableData() const override;

 protected:
  QString toolTipAt(const QPoint& pos) const override;
  void plotClicked(const QPoint& pos) override;

 private:
  void rebuild();
  void resetRanges();
  std::optional<std::pair<int, int>> pointAt(const QPoint& pos) const;  // (graph, key index)
  static QString measureName(AgreementMeasure measure);

  SelectionModel* selection_;
  ComparisonDataPtr comparison_;
  QVector<int> layers_;
  ComparisonControls* controls_ = nullptr;
  QComboBox* measure_combo_ = nullptr;
  QCheckBox* over_models_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* layer_marker_ = nullptr;
};

}  // namespace moescope::widgets
