#pragma once
// The paper's small multiples of expert output similarity (D2 per token): for chosen layers
// (rows) and tokens (columns), the cosine matrix of every expert's output on that token (and
// F's, when the run had a dense reference), each panel titled with the experts the token chose
// ("exp 1,6"), all panels on one colour scale.
#include <QVector>
#include <functional>
#include <optional>

#include "widgets/colour_range.h"
#include "widgets/plot_view.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"
#include "widgets/token_slices.h"

class QLabel;
class QLineEdit;

namespace moescope::widgets {

class SelectionModel;

// The grid's layers and tokens as typed, read the same for the view's fields and for
// `moescope-cli figure --layers/--tokens`. A list that is refused leaves its side empty
// (automatic) and says why: an entry that is no layer of the run or no position of the text, a
// layer without per-token output similarity, or more layers or tokens than the grid holds.
struct GridChoice {
  QVector<int> layers;  // indices into the run's layers, as typed; empty: automatic
  QVector<int> tokens;  // token positions, sorted; empty: automatic
  QString layers_problem, tokens_problem;  // empty: accepted
};
GridChoice readGridChoice(const QString& layers_text, const QString& tokens_text, const QVector<int>& decoder_layers,
                          const std::function<bool(int)>& has_cosines, int token_count);

class OutputSimilarityGridView : public PlotView, public RunDataView {
  Q_OBJECT

 public:
  // What "automatic" shows: the first, middle and last layers with cosines, and the window of
  // this many tokens that holds the selected one (so clicking a panel does not move the grid).
  static constexpr int kAutomaticTokens = 3;
  // Typed lists beyond this many entries are refused: the panels would be too small to read.
  static constexpr int kMaxLayers = 6;
  static constexpr int kMaxTokens = 8;

  explicit OutputSimilarityGridView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRunData(const RunData& data) override;

  // The layers (MoE layer indices, as SelectionModel::layer()) and token positions to show;
  // empty: automatic. Layers without cosines and tokens past the text are left out.
  void setChosenLayers(const QVector<int>& layer_indices);
  void setChosenTokens(const QVector<int>& tokens);
  // What the panels show now: rows are layers, columns tokens.
  const QVector<int>& shownLayers() const { return shown_layers_; }
  const QVector<int>& shownTokens() const { return shown_tokens_; }

  // Automatic from the values off the diagonal of every panel, or fixed limits.
  void setColourRange(const ColourRange& range);
  QCPRange shownRange() const;

  struct Panel {
    int layer_index = -1;
    int token = -1;
    TokenSlice slice;
    QCPAxisRect* rect = nullptr;
    QCPColorMap* map = nullptr;
    QCPColorMap* diagonal = nullptr;  // the diagonal in grey, outside the colour scale
  };
  // Row-major: panel (row, column) is panels()[row * shownTokens().size() + column].
  const QVector<Panel>& panels() const { return panels_; }
  const Panel* panel(int row, int column) const;
  // "exp 1,6": the token's chosen experts at the panel's layer, best first.
  QString panelTitle(int row, int column) const;
  // The cosine drawn in cell (row, column) of a panel; NaN when there is none.
  double cellValue(const Panel& panel, int row, int column) const;

  struct Hit {
    int panel_row = -1, panel_column = -1;  // which panel
    int row = -1, column = -1;              // which cell of it
  };
  std::optional<Hit> hitAt(const QPoint& pos) const;
  QPoint cellCenter(int panel_row, int panel_column, int row, int column) const;

  QCPColorScale* colorScale() const { return scale_; }
  QLineEdit* layersEdit() const { return layers_edit_; }
  QLineEdit* tokensEdit() const { return tokens_edit_; }
  // The reason a typed list was refused; empty when both were taken.
  QString inputProblem() const;

  void resetView() override;
  // Every panel's matrix: layer, token, its text, the expert of the row, one column per expert.
  DataTable tableData() const override;

 protected:
  // The layer, token, pair of experts and cosine of the cell under pos.
  QString toolTipAt(const QPoint& pos) const override;
  void plotClicked(const QPoint& pos) override;
  // Lays out as QCustomPlot does, then once more with every panel square and the same size.
  void updateLayout() override;

 private:
  void readTypedLists();
  void refresh();
  // The MoE layer indices the source has cosines for.
  QVector<int> layersWithCosines() const;
  QVector<int> layersToShow() const;
  QVector<int> tokensToShow() const;
  void setPanelCount(int rows, int columns);
  void fillPanel(Panel& panel);
  void updateColours();
  // The panels' titles and the row and column labels, in their longest form that fits `side`.
  void updateLabels(double side);
  // Expert names on the panels' axes, every n-th where they would touch on plots of `side`
  // pixels (0: as laid out now).
  void updateTicks(double side = 0);
  QString tokenText(int token) const;
  // "1,6": the experts the panel's token chose at its layer, best first.
  QString chosenExperts(const Panel& panel) const;

  SelectionModel* selection_;
  TokenSliceSourcePtr source_;
  bool slices_stale_ = true;  // the source changed: every panel reads its slice again
  RoutingData routing_;
  QVector<int> decoder_layers_;
  QVector<int> chosen_layers_, chosen_tokens_;
  QVector<int> shown_layers_, shown_tokens_;
  ColourRange colour_range_;
  QVector<Panel> panels_;
  int panel_columns_ = 0;
  QCPLayoutGrid* block_ = nullptr;  // the panels and the scale
  QCPLayoutGrid* grid_ = nullptr;   // the panels
  QVector<QCPMarginGroup*> margin_groups_;
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QLineEdit* layers_edit_ = nullptr;
  QLineEdit* tokens_edit_ = nullptr;
  QLabel* problem_ = nullptr;
};

}  // namespace moescope::widgets
