#pragma once
// The experts projected to two dimensions (the paper's S5): at matrix level one point per
// expert, at neuron level one point per neuron, coloured by expert in the token strip's colours.
// Pick the level and the projection (up, gate, down); click a point to select its expert.
#include <QVector>
#include <optional>

#include "widgets/pca_data.h"
#include "widgets/plot_view.h"
#include "widgets/run_data_view.h"

class QComboBox;
class QWidget;

namespace moescope::widgets {

class SelectionModel;

class PcaScatterView : public PlotView, public RunDataView {
  Q_OBJECT

 public:
  enum class Level { Matrix, Neuron };

  explicit PcaScatterView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const QVector<LayerPca>& layers() const { return layers_; }

  void setLevel(Level level);
  Level level() const;
  // "up", "gate" or "down".
  void setProjection(const QString& projection);
  QString projection() const;

  // The points drawn now; nullptr when the current layer has none at this level and projection.
  const PcaPoints* currentPoints() const;
  // The graph drawing the points of owner (an index into currentPoints()->labels).
  QCPGraph* ownerGraph(int owner) const;
  // The owner's legend entry: a marker larger and fuller than the faint neuron dots.
  QCPGraph* legendMarker(int owner) const { return legend_markers_.value(owner); }
  // The name drawn for owner; hidden where it would cover a name drawn before it (the
  // selected expert's first), and then shown by hovering the owner's points.
  QCPItemText* ownerLabel(int owner) const { return labels_.value(owner); }
  // Widget pixel position of point i of currentPoints().
  std::optional<QPoint> pointPixel(int index) const;
  // The point of currentPoints() nearest pos, within a few pixels.
  std::optional<int> pointAt(const QPoint& pos) const;
  // "E3", or "F" for the dense reference.
  QString ownerName(int owner) const;
  // The expert an owner is (its label as a number); -1 for "F" and shared experts.
  int ownerExpert(int owner) const;

  QComboBox* levelCombo() const { return level_combo_; }
  QComboBox* projectionCombo() const { return projection_combo_; }

  void resetView() override;
  DataTable tableData() const override;

 protected:
  QString toolTipAt(const QPoint& pos) const override;
  void plotClicked(const QPoint& pos) override;

 private:
  // One entry per MoE layer, in the order of SelectionModel::layer().
  void setLayers(const QVector<LayerPca>& layers);

  void rebuild();
  void updateHighlight();
  void spaceLabels();
  void updateExplanation();

  SelectionModel* selection_;
  QVector<LayerPca> layers_;
  QWidget* controls_ = nullptr;
  QComboBox* level_combo_ = nullptr;
  QComboBox* projection_combo_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QVector<QCPGraph*> graphs_;          // one per owner of the current points
  QVector<QCPItemText*> labels_;       // one per owner
  QVector<QCPGraph*> legend_markers_;  // one per owner, no points: what the legend shows
  QVector<bool> label_wanted_;         // labels rebuild() shows, before spacing hides some
  QCPGraph* highlight_ = nullptr;      // the selected expert's points, ringed
};

}  // namespace moescope::widgets
