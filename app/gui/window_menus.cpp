#include "app/gui/window_menus.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>

#include "app/gui/interface_language.h"
#include "app/gui/navigation_actions.h"
#include "app/gui/recent_folders.h"
#include "app/gui/view_actions.h"

namespace moescope::gui {

namespace {

// The strings keep the context they were translated under.
struct MenuText {
  Q_DECLARE_TR_FUNCTIONS(moescope::gui::MainWindow)
};

QAction* command(QObject* owner, const QString& text, const QString& tool_tip = {}) {
  auto* action = new QAction(text, owner);
  if (!tool_tip.isEmpty()) action->setToolTip(tool_tip);
  return action;
}

}  // namespace

WindowCommands makeWindowCommands(QObject* owner) {
  WindowCommands c;
  c.open_folder = command(owner, MenuText::tr("&Open Model Folder…"));
  c.open_folder->setShortcut(QKeySequence::Open);
  c.open_gguf = command(owner, MenuText::tr("Open &GGUF File…"),
                        MenuText::tr("Open a llama.cpp model file (.gguf, any part of a split one); its weights are "
                                     "dequantised as each layer is analysed"));
  c.open_demo = command(owner, MenuText::tr("Open &Demo Model"));
  c.open_results = command(owner, MenuText::tr("Open R&esults…"),
                           MenuText::tr("Show a results file (.h5) of an earlier analysis; no model needed"));
  c.open_results->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  c.compare_models = command(
      owner, MenuText::tr("Co&mpare Models…"),
      MenuText::tr("Run two or more models on the prompt (or take results files of the same text) and show how "
                   "they differ from a reference: routing, experts, outputs"));
  c.compare_models->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  c.open_comparison = command(
      owner, MenuText::tr("Second Results &Under Routing…"),
      MenuText::tr("Show a second results file on the same text under the routing heatmap, e.g. instruct vs base"));
  c.close_comparison = command(owner, MenuText::tr("C&lose Second Results"));
  c.analyze = command(owner, MenuText::tr("&Analyze"), MenuText::tr("Run the model on the prompt and show its routing"));
  c.analyze->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_Return),
                           QKeySequence(Qt::CTRL | Qt::Key_Enter)});
  c.generate = command(owner, MenuText::tr("&Generate"),
                       MenuText::tr("Let the model continue the prompt, showing each new token's experts as it is "
                                    "written, then analyse prompt and continuation"));
  c.generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  c.cancel = command(owner, MenuText::tr("&Cancel"), MenuText::tr("Stop the running job"));
  c.cancel->setShortcut(QKeySequence(Qt::Key_Escape));
  c.quit = command(owner, MenuText::tr("&Quit"));
  c.quit->setShortcut(QKeySequence::Quit);
  c.about = command(owner, MenuText::tr("&About MoEScope"));
  return c;
}

RecentFolders* buildMenus(QMainWindow* window, const WindowCommands& c, ViewActions* view_actions,
                          NavigationActions* navigation, const QList<QDockWidget*>& docks) {
  QMenuBar* bar = window->menuBar();
  QMenu* file = bar->addMenu(MenuText::tr("&File"));
  file->addAction(c.open_folder);
  file->addAction(c.open_gguf);
  auto* recent = new RecentFolders(file->addMenu(MenuText::tr("Open &Recent")), window);
  file->addAction(c.open_demo);
  file->addAction(c.open_results);
  file->addSeparator();
  file->addAction(c.compare_models);
  file->addAction(c.open_comparison);
  file->addAction(c.close_comparison);
  // Figure export, data export and the views' explanations act on the view in use.
  file->addSeparator();
  file->addAction(view_actions->exportFigureAction());
  file->addAction(view_actions->exportAllAction());
  file->addAction(view_actions->exportDataAction());
  file->addSeparator();
  file->addAction(c.quit);

  QMenu* analysis = bar->addMenu(MenuText::tr("&Analysis"));
  analysis->addAction(c.analyze);
  analysis->addAction(c.generate);
  analysis->addAction(c.cancel);

  QMenu* view = bar->addMenu(MenuText::tr("&View"));
  for (QDockWidget* dock : docks) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  addLanguageMenu(view->addMenu(MenuText::tr("&Language")), window);

  QMenu* go = bar->addMenu(MenuText::tr("&Go"));
  go->addActions(navigation->actions());

  QMenu* help = bar->addMenu(MenuText::tr("&Help"));
  help->addAction(view_actions->explainAction());
  help->addSeparator();
  help->addAction(c.about);
  help->addAction(MenuText::tr("About &Qt"), qApp, &QApplication::aboutQt);
  return recent;
}

}  // namespace moescope::gui
