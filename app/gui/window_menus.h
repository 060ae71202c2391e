#pragma once
// The window's commands and its menu bar. The commands are made once and shared by the menus,
// the prompt bar's buttons and the window-wide shortcuts; the window connects them to what
// they do.
#include <QList>

class QAction;
class QDockWidget;
class QMainWindow;
class QObject;

namespace moescope::gui {

class NavigationActions;
class RecentFolders;
class ViewActions;

struct WindowCommands {
  QAction* open_folder = nullptr;
  QAction* open_gguf = nullptr;
  QAction* open_demo = nullptr;
  QAction* open_results = nullptr;
  QAction* compare_models = nullptr;
  QAction* open_comparison = nullptr;
  QAction* close_comparison = nullptr;
  QAction* analyze = nullptr;
  QAction* generate = nullptr;
  QAction* cancel = nullptr;
  QAction* quit = nullptr;
  QAction* about = nullptr;
};

// The commands with their texts, shortcuts and tooltips, owned by owner.
WindowCommands makeWindowCommands(QObject* owner);

// File, Analysis, View, Go and Help. Returns File > Open Recent's list of folders.
RecentFolders* buildMenus(QMainWindow* window, const WindowCommands& commands, ViewActions* view_actions,
                          NavigationActions* navigation, const QList<QDockWidget*>& docks);

}  // namespace moescope::gui
