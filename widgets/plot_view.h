#pragma once
// The base of every plot view: one look, one context menu (reset view, export figure, export
// data, explanation), and the two things every view offers once: drawing itself at any figure
// size for export, and the table of numbers it draws.
#include <qcustomplot.h>

#include <functional>

#include "widgets/data_table.h"
#include "widgets/figure_style.h"

namespace moescope::widgets {

class PlotView : public QCustomPlot {
  Q_OBJECT

 public:
  explicit PlotView(QWidget* parent = nullptr);

  // Shows the whole data again after the user zoomed or panned.
  virtual void resetView();

  // Replots now when the view is on screen. A hidden view (in a tab behind another) only notes
  // that it must replot once shown, so a selection change costs the views in sight only. Hides
  // QCustomPlot::replot for every call made through a view; exports draw for themselves.
  void replot(QCustomPlot::RefreshPriority priority = QCustomPlot::rpRefreshHint);

  // Runs the updates the view held back while hidden (see updateWhenShown) now.
  void runHeldUpdates();

  // The numbers the view draws, as a table (File > Export Data as CSV). Empty when it shows
  // nothing.
  virtual DataTable tableData() const { return {}; }

  // "What am I looking at?": rich text, shown by the view's "?" button and Help > What am I
  // looking at? (F1). The text is the widget's whatsThis().
  void setExplanation(const QString& text);

  // Draws the view laid out at size (logical pixels) onto painter, whose device may be a
  // printer, an image or an SVG generator; the widget on screen is left as it was. Space kept
  // for on-screen controls is left out.
  // Where the plot areas and colour bars of the figure lay (a layout test reads them).
  struct FigureLayout {
    QList<QRect> plot_areas;  // the axis rects of the plots, colour bars left out
    QList<QRect> colour_bars;
  };
  void renderFigure(QCPPainter* painter, const QSize& size, FigureLayout* layout = nullptr,
                    const FigureStyle& style = {});

 signals:
  // An export finished; message is empty on success. The app shows it in the status bar.
  void exported(const QString& path, const QString& error);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;
  void showEvent(QShowEvent* event) override;
  // A left button pressed and released without a drag (a pan): a click at pos, in widget
  // pixels. Views select what lies there.
  virtual void plotClicked(const QPoint& pos) { Q_UNUSED(pos); }
  // The hover text for what lies at pos (widget pixels); empty: no tooltip there.
  virtual QString toolTipAt(const QPoint& pos) const {
    Q_UNUSED(pos);
    return {};
  }
  // Shows toolTipAt's text for tooltip events.
  bool event(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

  // A layout element that only keeps room for widgets laid over the plot (combo boxes, check
  // boxes): exported figures collapse it.
  void addScreenOnlySpace(QCPLayoutElement* space);
  // The legend out of the plot's corner into its own row of the layout, under the plot (inside,
  // it would hide whatever the data puts in that corner), entries filling rows first, no frame.
  void moveLegendBelowPlot(int row);
  // An element that takes no room while hidden: in the layout's cell (row, 0) when shown, out
  // of the layout otherwise (a hidden element still keeps its margins, an empty cell nothing).
  // A hidden empty legend or grid would also keep its maximum size, which is its margins:
  // QCustomPlot caps the whole column at it, and the texts above wrap to a narrow strip.
  // `stretch` is the row's share of the height once shown (legends: as tall as their content).
  void showInLayoutRow(QCPLayoutElement* element, int row, bool shown, double stretch = 0.001);
  // A row of controls (a child widget holding combo boxes, check boxes) over the top of the
  // plot: a screen-only element in a new row 0 keeps their place, and every resize lays them
  // out at the view's width and their own height.
  void addOverlayControls(QWidget* controls);
  // Lays the controls out now, after they changed size (a combo box's longest item did).
  void layoutOverlayControls();
  void resizeEvent(QResizeEvent* event) override;
  // Runs update now, unless the view sits hidden in a shown window (a tab behind another, a
  // closed dock): then it keeps it and runs it when shown, or when an export draws the view.
  // A later update under the same key replaces the kept one, so a view that missed many
  // selection changes catches up once, with the latest. Views on their own (tests, figures)
  // always update at once.
  void updateWhenShown(int key, std::function<void()> update);
  // The plot's layout changed size for an export, or back: views whose labels depend on the
  // size (tick spacing) update them here.
  virtual void figureLayoutChanged() {}
  // On screen, titles and captions (text elements) are broken into lines that fit the view's
  // width, whatever width a dock or tab gives it, so none is cut at the edges; views set their
  // texts whole. Exports lay their texts out for the figure instead (FigureTextFit).
  void updateLayout() override;

 private:
  void exportFigureWithDialog();
  void exportDataWithDialog();

  // Drags that move less than this are clicks (select), not pans.
  static bool isClick(const QPoint& press, const QPoint& release);
  // Breaks every text element's whole text into lines that fit the width on screen beside its
  // centre; true when a text changed.
  bool fitTextsToScreen();
  // Puts every text element's whole text back (before an export fits them to the figure).
  void restoreWholeTexts();
  // QCustomPlot clips each legend entry to its cell raised by a pixel: an entry exactly as tall
  // as its text would lose the text's last pixel row, the descenders (three rows in a 300 dpi
  // figure). Gives every entry a pixel below its text.
  void keepLegendDescenders();

  QPoint press_pos_;
  QList<QPointer<QCPLayoutElement>> screen_only_;
  QWidget* overlay_controls_ = nullptr;
  QCPLayoutElement* overlay_space_ = nullptr;
  bool replot_pending_ = false;
  bool drawing_figure_ = false;
  QList<QPair<int, std::function<void()>>> held_updates_;
};

}  // namespace moescope::widgets
