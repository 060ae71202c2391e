#include "app/gui/recent_folders.h"

#include <QDir>
#include <QMenu>
#include <QSettings>

namespace moescope::gui {

namespace {
const QString kKey = QStringLiteral("recentModelFolders");
constexpr int kMaxFolders = 8;
}  // namespace

RecentFolders::RecentFolders(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu) {
  // Rebuilt on every opening: another MoEScope window may have changed the list meanwhile.
  connect(menu_, &QMenu::aboutToShow, this, &RecentFolders::rebuildMenu);
  rebuildMenu();
}

QStringList RecentFolders::folders() const { return QSettings().value(kKey).toStringList(); }

void RecentFolders::add(const QString& dir) {
  const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
  QStringList list = folders();
  list.removeAll(clean);
  list.prepend(clean);
  while (list.size() > kMaxFolders) list.removeLast();
  QSettings().setValue(kKey, list);
  rebuildMenu();
}

void RecentFolders::rebuildMenu() {
  menu_->clear();
  const QStringList list = folders();
  int number = 1;
  for (const QString& dir : list) {
    // &1..&8 give keyboard access; the full path is in the text because folder names repeat
    // ("Mixtral-8x7B-v0.1" under two different parents).
    QAction* action = menu_->addAction(QStringLiteral("&%1 %2").arg(number++).arg(QDir::toNativeSeparators(dir)));
    connect(action, &QAction::triggered, this, [this, dir] { emit openRequested(dir); });
  }
  if (!list.isEmpty()) menu_->addSeparator();
  QAction* clear = menu_->addAction(tr("&Clear Menu"), this, [this] {
    QSettings().remove(kKey);
    rebuildMenu();
  });
  clear->setEnabled(!list.isEmpty());
}

}  // namespace moescope::gui
