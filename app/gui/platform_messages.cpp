#include "app/gui/platform_messages.h"

#include <QString>
#include <QtGlobal>

namespace moescope::gui {

namespace {

QtMessageHandler previous_handler = nullptr;

void filterMessage(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (type == QtWarningMsg && message == QLatin1String("This plugin does not support propagateSizeHints()")) return;
  if (previous_handler) previous_handler(type, context, message);
}

}  // namespace

void silenceHeadlessPlatformNoise() {
  // Installed once: a second call would make the filter its own predecessor.
  static const bool installed = [] {
    previous_handler = qInstallMessageHandler(filterMessage);
    return true;
  }();
  Q_UNUSED(installed);
}

}  // namespace moescope::gui
