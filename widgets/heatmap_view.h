#pragma once
// The base of every heatmap view: a grid of cells centred on whole coordinates, hovered for a
// tooltip and clicked to select. It owns the cell geometry, the tooltip and click dispatch and the
// default view (-0.5..n-0.5 on both axes); each view only says how large its grid is, what a cell
// shows and what a click on it does.
#include <optional>
#include <utility>

#include "widgets/plot_view.h"

namespace moescope::widgets {

class HeatmapView : public PlotView {
  Q_OBJECT

 public:
  explicit HeatmapView(QWidget* parent = nullptr);

  // Cell (row, column) under a widget pixel position, if any. Rows run along the grid's left
  // axis, columns along its bottom axis.
  std::optional<std::pair<int, int>> cellAt(const QPoint& pos) const;
  // Widget pixel position of the centre of cell (row, column).
  QPoint cellCenter(int row, int column) const;

  // Fits the whole grid: -0.5..n-0.5 on both grid axes, then new ticks and a replot.
  void resetView() override;

  // Cell geometry every grid of cells shares (views with several grids use it too).
  // QCPColorMap centres cell i of n cells on coordinate i when the range is 0..n-1; with a single
  // cell the range collapses to a point and nothing is drawn. Two identical cells on -0.25 and
  // +0.25 cover -0.5..0.5 instead, so coordinate lookups stay the same either way.
  static int storedCells(int n) { return n == 1 ? 2 : n; }
  static QCPRange cellRange(int n) { return n == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, n - 1); }
  // An axis of cells is labelled, not measured: a text ticker, no sub-ticks, no grid lines.
  static void labelCells(QCPAxis* axis);
  // Label every step-th tick of count so labels of pixels_per_label never overlap.
  static int labelStep(int count, double pixels, double pixels_per_label);

 protected:
  // The grid's size; cells outside 0..rows-1 x 0..columns-1 are not hit.
  virtual int gridRows() const = 0;
  virtual int gridColumns() const = 0;
  // The axis rect that holds the grid: the main one unless the view has several.
  virtual QCPAxisRect* gridRect() const { return axisRect(); }
  // The text shown over cell (row, column); an empty text shows no tooltip.
  virtual QString cellToolTip(int row, int column) const = 0;
  // A left click (not a drag) on cell (row, column).
  virtual void cellClicked(int row, int column) {}
  // The tooltip text and the click for any position; by default those of the cell under it.
  // Views with more than the grid (bars beside it) extend these.
  QString toolTipAt(const QPoint& pos) const override;
  virtual void clickedAt(const QPoint& pos);
  // Relabels the axes after the visible range or the size changed.
  virtual void updateTicks() {}
  // An exported figure has its own size: its labels are spaced for it.
  void figureLayoutChanged() override { updateTicks(); }

  // A colour scale in layout cell (row, column) of `layout`, its bar bar_width pixels wide, its
  // ends kept level with the grid's top and bottom (a margin group later plots can join too).
  QCPColorScale* addColorScale(QCPLayoutGrid* layout, int row, int column, int bar_width, const QString& label = {});

  void plotClicked(const QPoint& pos) override;

  // A map of cells on axes x and y in scale's colours, viridis unless the view sets another;
  // NaN cells transparent (what lies behind them shows: a hatching for "not computed").
  QCPColorMap* addCellMap(QCPAxis* x, QCPAxis* y, QCPColorScale* scale);
  // A buffered layer "selection" above the plots: outlines on it redraw alone when the
  // selection moves (layer("selection")->replot()).
  void addSelectionLayer();
  // An unfilled outline of cells on axes x and y, in plot coordinates, clipped to their axis
  // rect; on the "selection" layer when the view has one.
  QCPItemRect* addCellOutline(QCPAxis* x, QCPAxis* y, const QPen& pen);
  // Puts an outline around a whole row (or column) of a rows x columns grid, or hides it when
  // the index lies outside the grid.
  static void outlineRow(QCPItemRect* outline, int row, int rows, int columns);
  static void outlineColumn(QCPItemRect* outline, int column, int rows, int columns);
  // The row (column) an outline sits on, -1 when it is hidden: what tests read back.
  static int outlinedRow(const QCPItemRect* outline);
  static int outlinedColumn(const QCPItemRect* outline);
  // After the outlines moved: redraws the "selection" layer alone when the view is on screen,
  // or marks the view for a full replot once shown.
  void replotSelection();

 private:
};

}  // namespace moescope::widgets
