#pragma once
// Keyboard navigation from anywhere in the window: next / previous layer (Page Down / Page Up,
// Ctrl+Down / Ctrl+Up) and next / previous token (Alt+Right / Alt+Left). Text editors keep
// their own meaning of these keys: while one has the focus, the key goes to it.
#include <QList>
#include <QObject>
#include <functional>

class QAction;
class QWidget;

namespace moescope::widgets {
class SelectionModel;
}

namespace moescope::gui {

class NavigationActions : public QObject {
  Q_OBJECT

 public:
  // layers / tokens: how many there are now (they change with every run).
  NavigationActions(widgets::SelectionModel* selection, std::function<int()> layers, std::function<int()> tokens,
                    QWidget* window);

  QAction* nextLayer() const { return next_layer_; }
  QAction* previousLayer() const { return previous_layer_; }
  QAction* nextToken() const { return next_token_; }
  QAction* previousToken() const { return previous_token_; }
  QList<QAction*> actions() const { return {next_layer_, previous_layer_, next_token_, previous_token_}; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void step(bool layer, int delta);

  widgets::SelectionModel* selection_;
  std::function<int()> layers_;
  std::function<int()> tokens_;
  QAction* next_layer_ = nullptr;
  QAction* previous_layer_ = nullptr;
  QAction* next_token_ = nullptr;
  QAction* previous_token_ = nullptr;
};

}  // namespace moescope::gui
