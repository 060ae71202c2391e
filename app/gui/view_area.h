#pragma once
// The window's layout: the prompt bar, the token strip, the layer navigator over the tabs of
// views, and the docks (model summary, token inspector, routing overview). The tabs and the
// overview dock are made from the view table (widgets/view_table.h); every view of a run is
// given the same RunData through show().
#include <QMap>
#include <QObject>
#include <QVector>

#include "widgets/view_table.h"

class QDockWidget;
class QLabel;
class QMainWindow;
class QSplitter;
class QTabWidget;

namespace moescope::widgets {
class LayerNavigator;
class ModelSummaryPanel;
class PendingLayers;
class PlotView;
class RunDataView;
class SelectionModel;
class TokenInspector;
class TokenStrip;
struct RunData;
}  // namespace moescope::widgets

namespace moescope::gui {

class ViewArea : public QObject {
  Q_OBJECT

 public:
  // Lays the views out in window, with prompt_bar above them.
  ViewArea(QMainWindow* window, widgets::SelectionModel* selection, QWidget* prompt_bar);

  // Every view shows data; the selection keeps the user's place where data allows it.
  void show(const widgets::RunData& data);
  // The navigator's layers (and the overview's rows). The selection stays on the decoder layer
  // shown before, or moves to the nearest one in the new list.
  void setLayers(const QVector<int>& decoder_layers);

  widgets::PlotView* view(widgets::ViewId id) const { return views_.value(id); }
  QTabWidget* tabs() const { return tabs_; }
  widgets::TokenStrip* strip() const { return strip_; }
  widgets::TokenInspector* inspector() const { return inspector_; }
  QSplitter* inspectorSplit() const { return inspector_split_; }
  widgets::LayerNavigator* navigator() const { return navigator_; }
  widgets::PendingLayers* pending() const { return pending_; }
  // A banner over the views saying the results are partial (a shard); empty: hidden.
  void setPartialNotice(const QString& text);
  QLabel* partialBanner() const { return partial_banner_; }
  widgets::ModelSummaryPanel* summary() const { return summary_; }
  // Model, token inspector, routing overview: for the View menu.
  QList<QDockWidget*> docks() const { return docks_; }
  QDockWidget* inspectorDock() const { return inspector_dock_; }

 signals:
  // A view's own Export Figure or Export Data ended; error is empty on success.
  void exported(const QString& path, const QString& error);

 private:
  QDockWidget* addDock(QMainWindow* window, const QString& title, const QString& name, QWidget* content,
                       Qt::DockWidgetArea area);

  widgets::SelectionModel* selection_;
  QMap<widgets::ViewId, widgets::PlotView*> views_;
  QList<widgets::RunDataView*> data_views_;
  QList<widgets::PlotView*> comparison_views_;  // tabs shown only for a comparison of models
  QTabWidget* tabs_ = nullptr;
  QLabel* partial_banner_ = nullptr;
  widgets::TokenStrip* strip_ = nullptr;
  widgets::TokenInspector* inspector_ = nullptr;
  QSplitter* inspector_split_ = nullptr;
  widgets::LayerNavigator* navigator_ = nullptr;
  widgets::PendingLayers* pending_ = nullptr;
  widgets::ModelSummaryPanel* summary_ = nullptr;
  QList<QDockWidget*> docks_;
  QDockWidget* inspector_dock_ = nullptr;
};

}  // namespace moescope::gui
