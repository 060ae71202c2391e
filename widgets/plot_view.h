#pragma once
// The base of every plot view: one look, one context menu (reset view, export), so each
// view only draws its data.
#include <qcustomplot.h>

namespace moescope::widgets {

class PlotView : public QCustomPlot {
  Q_OBJECT

 public:
  explicit PlotView(QWidget* parent = nullptr);

  // Shows the whole data again after the user zoomed or panned.
  virtual void resetView();

 signals:
  // An export finished; message is empty on success. The app shows it in the status bar.
  void exported(const QString& path, const QString& error);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;
  // Drags that move less than this are clicks (select), not pans.
  static bool isClick(const QPoint& press, const QPoint& release);

 private:
  void exportWithDialog();
};

}  // namespace moescope::widgets
