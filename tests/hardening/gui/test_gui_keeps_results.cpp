// "Nothing lost" in the explorer (tests/hardening/README.md): after an analysis has filled the
// views, every kind of failure (a damaged results file, a damaged model folder, a text the
// model cannot take) ends in an error dialog while the views keep showing the last good
// results, value for value.
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <filesystem>
#include <string>

#include "app/gui/analysis_worker.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "core/demo/demo_model.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"
#include "tests/support/dialog_closer.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/similarity_heatmap_view.h"

using moescope::gui::MainWindow;
using moescope::test::DialogCloser;
namespace fs = std::filesystem;

namespace {

// What the views show, reduced to numbers that any change would move.
struct OnScreen {
  int tokens = 0;
  int layers = 0;
  QVector<float> weights;  // mixing weights of every token's top expert at the first layer
  int similarity_size = 0;
  double similarity_cell = 0;

  static OnScreen of(const MainWindow& window) {
    OnScreen s;
    const auto& routing = window.routing();
    s.tokens = routing.tokenCount();
    s.layers = routing.layerCount();
    for (int t = 0; t < s.tokens && s.layers > 0; ++t) s.weights.push_back(routing.mixingWeight(0, t, routing.topExpert(0, t)));
    s.similarity_size = window.similarityView()->matrixSize();
    s.similarity_cell = s.similarity_size > 1 ? window.similarityView()->cellValue(0, 1) : 0;
    return s;
  }
  bool operator==(const OnScreen&) const = default;
};

constexpr int kTimeoutMs = 300'000;  // the first run writes the demo model

}  // namespace

class TestGuiKeepsResults : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  MainWindow* window_ = nullptr;
  OnScreen good_;

  // Starts `failure`, waits for the window to be idle again, and returns the dialog's text.
  QString failAndWait(const std::function<void()>& failure) {
    QSignalSpy idle(window_, &MainWindow::idle);
    auto* closer = new DialogCloser(window_);
    failure();
    if (!idle.wait(kTimeoutMs)) return QStringLiteral("(never idle)");
    if (!QTest::qWaitFor([closer] { return !closer->text.isEmpty(); }, 10'000)) return QStringLiteral("(no dialog)");
    return closer->text;
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("MoEScopeTest"));
    QApplication::setApplicationName(QStringLiteral("moescope-hardening-test"));
    window_ = new MainWindow;
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_));
    window_->promptPanel()->setText(QStringLiteral("As an open source alternative to"));
    window_->openDemoModel(true);
    QTRY_VERIFY_WITH_TIMEOUT(!window_->isBusy() && window_->routing().layerCount() > 0 &&
                                 window_->similarityView()->matrixSize() > 0,
                             kTimeoutMs);
    good_ = OnScreen::of(*window_);
    QVERIFY(good_.tokens >= 6);
    QCOMPARE(good_.layers, 8);
  }

  void cleanupTestCase() { delete window_; }

  void damagedResultsFile() {
    const fs::path file = fs::path(tmp_.path().toStdString()) / "damaged.h5";
    moescope::test::writeFile(file, std::string("\x89HDF\r\n\x1a\n", 8) + std::string(4000, '\x5a'));
    const QString text = failAndWait([&] { window_->openResultsFile(QString::fromStdString(file.string())); });
    QVERIFY2(text.contains(QStringLiteral("damaged.h5")), qPrintable(text));
    QVERIFY(OnScreen::of(*window_) == good_);
  }

  // The run's own results file with one byte of its stored gate scores changed: refused for its
  // checksum, naming the dataset, and the views keep the good numbers.
  void resultsFileFailingItsChecksum() {
    const fs::path run = moescope::gui::AnalysisWorker::resultsCachePath().toStdString();
    const std::string path = moescope::results::layout::layerPath(0, moescope::results::layout::ds::kGateScores);
    const auto scores = moescope::results::ResultsReader::open(run).readFloat(path);
    std::string bytes = moescope::test::readFile(run);
    const std::string stored(reinterpret_cast<const char*>(scores.values.data()), 16);
    const std::size_t at = bytes.find(stored);
    QVERIFY(at != std::string::npos);
    bytes[at + 5] ^= 0x10;
    const fs::path file = fs::path(tmp_.path().toStdString()) / "flipped.h5";
    moescope::test::writeFile(file, bytes);
    const QString text = failAndWait([&] { window_->openResultsFile(QString::fromStdString(file.string())); });
    QVERIFY2(text.contains(QStringLiteral("flipped.h5")) && text.contains(QString::fromStdString(path)) &&
                 text.contains(QStringLiteral("checksum")),
             qPrintable(text));
    QVERIFY(OnScreen::of(*window_) == good_);
  }

  void damagedModelFolder() {
    const fs::path dir = fs::path(tmp_.path().toStdString()) / "broken-model";
    moescope::demo::writeDemoModel(dir);
    const std::string weights = moescope::test::readFile(dir / "model.safetensors");
    moescope::test::writeFile(dir / "model.safetensors", weights.substr(0, weights.size() / 3));
    const QString text = failAndWait([&] { window_->openModelFolder(QString::fromStdString(dir.string())); });
    QVERIFY2(text.contains(QStringLiteral("model.safetensors")), qPrintable(text));
    QVERIFY(window_->hasModel());  // the demo stays open
    QVERIFY(OnScreen::of(*window_) == good_);
  }

  void textLongerThanTheModelTakes() {
    QString text;
    for (int i = 0; i < 800; ++i) text += QStringLiteral("The experts of a mixture route each token. ");
    window_->promptPanel()->setText(text);
    const QString message = failAndWait([&] { window_->analyze(); });
    QVERIFY2(message.contains(QStringLiteral("max_position_embeddings")), qPrintable(message));
    QVERIFY(OnScreen::of(*window_) == good_);
  }
};

QTEST_MAIN(TestGuiKeepsResults)
#include "test_gui_keeps_results.moc"
