#pragma once
// The "Open Recent" menu: model folders opened before, newest first, kept in QSettings.
#include <QObject>
#include <QStringList>

class QMenu;

namespace moescope::gui {

class RecentFolders : public QObject {
  Q_OBJECT

 public:
  explicit RecentFolders(QMenu* menu, QObject* parent = nullptr);

  void add(const QString& dir);
  QStringList folders() const;

 signals:
  void openRequested(const QString& dir);

 private:
  void rebuildMenu();

  QMenu* menu_;
};

}  // namespace moescope::gui
