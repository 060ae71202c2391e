#pragma once
// The window's actions on "the view the user is looking at": Export Figure (Ctrl+E), Export
// Data as CSV, Export All Figures and Help > What am I looking at? (F1). The current view is
// the last one clicked or focused in the window, or the visible tab's view.
#include <QObject>
#include <QPointer>

#include "widgets/figure_catalog.h"

class QAction;

namespace moescope::widgets {
class FigureBatch;
struct FigureBatchRequest;
}  // namespace moescope::widgets

namespace moescope::gui {

class MainWindow;

class ViewActions : public QObject {
  Q_OBJECT

 public:
  explicit ViewActions(MainWindow* window);

  QAction* exportFigureAction() const { return export_figure_; }
  QAction* exportDataAction() const { return export_data_; }
  QAction* exportAllAction() const { return export_all_; }
  QAction* explainAction() const { return explain_; }

  // The view the actions apply to now; nullptr when the window shows none.
  QWidget* currentView() const;
  // What the window shows now, as the figures draw it.
  widgets::RunData figureData() const;
  // Starts writing request's figures from data, with a progress dialog; for the action and tests.
  widgets::FigureBatch* startBatch(widgets::RunData data, const widgets::FigureBatchRequest& request);

 signals:
  // For the status bar.
  void message(const QString& text);
  void failed(const QString& title, const QString& message);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void track(QWidget* widget);
  void exportFigure();
  void exportData();
  void exportAll();
  void explain();

  MainWindow* window_;
  QPointer<QWidget> last_view_;
  QPointer<widgets::FigureBatch> batch_;
  QAction* export_figure_ = nullptr;
  QAction* export_data_ = nullptr;
  QAction* export_all_ = nullptr;
  QAction* explain_ = nullptr;
};

}  // namespace moescope::gui
