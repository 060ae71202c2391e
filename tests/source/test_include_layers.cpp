// The floors of core (docs/architecture.md): every #include between two of core's folders
// points down, to a folder on a lower floor. A file that includes one of its own floor's
// neighbours or one above fails here with the offending line named. Above core, the command
// line and the results-to-views conversion use nothing of the desktop explorer.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <map>

namespace {

// Ground: core's own files (errors, cancellation, progress, dense arrays, attribute values).
// Then the readers of files and the torch support, the computation, the runs, the demo model.
const std::map<QString, int> kFloors = {
    {"", 0},
    {"checkpoint", 1}, {"results", 1}, {"torch_support", 1},
    {"tokenizer", 2},  // its vocabulary files are read with checkpoint's bounds-checked JSON
    {"engine", 3}, {"analysis", 3},
    {"pipeline", 4}, {"demo", 4},
};

struct Include {
  QString file, line, from, to;
};

// The folder of a core path ("core/engine/moe_block.h" -> "engine", "core/error.h" -> "").
QString folderOf(const QString& core_relative) {
  const qsizetype slash = core_relative.indexOf('/');
  return slash < 0 ? QString() : core_relative.left(slash);
}

// Every #include "<prefix>..." of the files under <folder> (relative to the source tree).
std::vector<Include> includesUnder(const QString& folder, const QString& prefix) {
  const QString root = QStringLiteral(MOESCOPE_SOURCE_DIR "/") + folder + '/';
  // Not a raw string literal: moc's tokenizer loses its way in one that contains quotes.
  const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s+\"") + prefix + QStringLiteral("([^\"]+)\""));
  std::vector<Include> out;
  QDirIterator it(root, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    const QString relative = path.mid(root.size());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) continue;
    while (!file.atEnd()) {
      const QString line = QString::fromUtf8(file.readLine()).trimmed();
      const QRegularExpressionMatch m = include.match(line);
      if (m.hasMatch()) out.push_back({relative, line, folderOf(relative), folderOf(m.captured(1))});
    }
  }
  return out;
}

}  // namespace

class TestIncludeLayers : public QObject {
  Q_OBJECT

 private slots:
  void everyFolderHasAFloor() {
    const QDir core(QStringLiteral(MOESCOPE_SOURCE_DIR "/core"));
    QVERIFY(core.exists());
    for (const QString& folder : core.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
      QVERIFY2(kFloors.count(folder), qPrintable("core/" + folder + " is on no floor of kFloors"));
  }

  void includesPointDown() {
    const std::vector<Include> includes = includesUnder(QStringLiteral("core"), QStringLiteral("core/"));
    QVERIFY(includes.size() > 100);  // the scan found the tree
    int between_folders = 0;
    for (const Include& i : includes) {
      if (i.from == i.to) continue;
      ++between_folders;
      const auto from = kFloors.find(i.from), to = kFloors.find(i.to);
      QVERIFY2(from != kFloors.end() && to != kFloors.end(), qPrintable("core/" + i.file + ": unknown folder"));
      QVERIFY2(to->second < from->second,
               qPrintable("core/" + i.file + " (floor " + QString::number(from->second) + ") includes core/" +
                          i.to + " (floor " + QString::number(to->second) + "): " + i.line));
    }
    QVERIFY(between_folders > 50);
  }

  void theCommandLineAndViewDataUseNothingOfTheExplorer() {
    for (const QString& folder : {QStringLiteral("app/cli"), QStringLiteral("app/view_data")}) {
      QVERIFY(!includesUnder(folder, QStringLiteral("core/")).empty());  // the scan found the folder
      for (const Include& i : includesUnder(folder, QStringLiteral("app/gui/")))
        QFAIL(qPrintable(folder + '/' + i.file + " includes the explorer: " + i.line));
    }
  }

  // The rule itself catches what it should: an arrow up or sideways is refused.
  void theRuleRefusesArrowsUpAndSideways() {
    QVERIFY(kFloors.at("engine") > kFloors.at("torch_support"));
    QVERIFY(!(kFloors.at("analysis") < kFloors.at("engine")));  // sideways: neither below the other
    QVERIFY(!(kFloors.at("pipeline") < kFloors.at("engine")));
    QCOMPARE(folderOf("engine/moe_block.h"), QString("engine"));
    QCOMPARE(folderOf("error.h"), QString());
  }
};

QTEST_GUILESS_MAIN(TestIncludeLayers)
#include "test_include_layers.moc"
