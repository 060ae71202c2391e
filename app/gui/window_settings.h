#pragma once
// What the window remembers between starts: its geometry, docks and splitters, the tab in view
// and the prompt bar's choices.
class QDockWidget;
class QMainWindow;
class QSplitter;
class QTabWidget;

namespace moescope::gui {

class PromptPanel;

struct RememberedParts {
  QMainWindow* window = nullptr;
  QDockWidget* inspector_dock = nullptr;
  QSplitter* inspector_split = nullptr;
  QTabWidget* tabs = nullptr;
  PromptPanel* prompt = nullptr;
};

void restoreWindowSettings(const RememberedParts& parts);
void saveWindowSettings(const RememberedParts& parts);

}  // namespace moescope::gui
