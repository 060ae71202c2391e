#pragma once
// Every view of a run, described once: where the window puts it, its title and tooltip, whether
// it waits for its layer while a run is in progress, the figures it draws and how one is made
// and set up for a figure. The main window's tabs and docks, File > Export All Figures and
// `moescope-cli figure` are all built from this table; adding a view is adding a row.
#include <QString>
#include <QVector>

#include "widgets/colour_range.h"
#include "widgets/figure_kind.h"

class QWidget;

namespace moescope::widgets {

class PlotView;
class SelectionModel;
struct RunData;

enum class ViewPlace {
  Tab,        // a tab under the layer navigator
  Dock,       // a dock of its own beside the views
  Inspector,  // drawn inside the token inspector, which makes it
  Comparison, // a tab shown only while the data is a comparison of models
};

// Choices a figure batch applies to every figure it draws.
struct FigureOptions {
  bool same_similarity_range = false;  // one colour range over all layers' similarity figures
  ColourRange colour_range;            // the similarity figures' limits (automatic or fixed)
  // The per-token output similarity grid: MoE layer indices (rows) and token positions
  // (columns); empty: automatic (first, middle, last layers; the tokens around the token asked for).
  QVector<int> grid_layers;
  QVector<int> grid_tokens;
};

struct ViewEntry {
  ViewId id;
  const char* object_name;  // the view widget's object name
  const char* title;        // untranslated: title() translates it
  ViewPlace place;
  // Views of one layer are veiled while a running analysis has not reached their layer.
  bool veiled_while_pending;
  // The figures the view draws, in the order `moescope-cli figure --list` shows them.
  QVector<FigureKind> figures;
  // A new view, without data; the window and the figure stage give it theirs.
  PlotView* (*make)(SelectionModel* selection, QWidget* parent);
  // Puts a view made by make() (and given data, unless fresh is false) in the state kind draws
  // at MoE layer index layer_index and token. The stage has checked missingFigureData first.
  void (*set_up_figure)(PlotView* view, const FigureKind& kind, const RunData& data, int layer_index, int token,
                        const FigureOptions& options);
  // Why data cannot give kind at layer_index (in range) and token; empty when it can.
  QString (*missing)(const RunData& data, const FigureKind& kind, int layer_index, int token);
  // The tab's tooltip (or the dock's), translated.
  QString (*tool_tip)();

  QString translatedTitle() const;
};

// In the order the window shows the tabs.
const QVector<ViewEntry>& viewTable();
const ViewEntry& viewEntry(ViewId id);

}  // namespace moescope::widgets
