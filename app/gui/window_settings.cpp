#include "app/gui/window_settings.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

#include "app/gui/prompt_panel.h"

namespace moescope::gui {

void restoreWindowSettings(const RememberedParts& parts) {
  QSettings settings;
  if (!parts.window->restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
    parts.window->resize(1440, 900);
  if (!parts.window->restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
    parts.window->resizeDocks({parts.inspector_dock}, {440}, Qt::Horizontal);
  if (parts.inspector_split)
    parts.inspector_split->restoreState(settings.value(QStringLiteral("window/inspectorSplit")).toByteArray());
  parts.tabs->setCurrentIndex(
      qBound(0, settings.value(QStringLiteral("window/tab"), 0).toInt(), parts.tabs->count() - 1));
  parts.prompt->restoreSettings(settings);
}

void saveWindowSettings(const RememberedParts& parts) {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), parts.window->saveGeometry());
  settings.setValue(QStringLiteral("window/state"), parts.window->saveState());
  if (parts.inspector_split)
    settings.setValue(QStringLiteral("window/inspectorSplit"), parts.inspector_split->saveState());
  settings.setValue(QStringLiteral("window/tab"), parts.tabs->currentIndex());
  parts.prompt->saveSettings(settings);
}

}  // namespace moescope::gui
