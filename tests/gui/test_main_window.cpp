// The real main window with the real worker thread: errors reach the user as a dialog and
// the window survives them; the demo model opens and its routing reaches the views.
#include <QAction>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

#include "app/gui/layer_filter_edit.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "app/gui/sample_prompts.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/test_support.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/selection_model.h"
#include "widgets/token_strip.h"

using moescope::gui::MainWindow;
using moescope::test::DialogCloser;

namespace {

constexpr int kDemoTimeoutMs = 300'000;  // first run writes the demo model

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // Settings and the demo cache go to a test location, not the user's.
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void constructsWithNothingOpen() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.hasModel());
    QVERIFY(window.routing().isEmpty());
    QVERIFY(window.findChild<moescope::widgets::TokenStrip*>());
    QVERIFY(window.findChild<moescope::widgets::RoutingHeatmapView*>());
  }

  // The sample box names a sample only while the prompt is its text; edited, it says so.
  void sampleBoxFollowsTheText() {
    MainWindow window;
    moescope::gui::PromptPanel* prompt = window.promptPanel();
    QComboBox* samples = prompt->sampleBox();
    QVERIFY(samples->count() >= 2);
    prompt->setText(samples->itemData(1).toString());
    QCOMPARE(samples->currentIndex(), 1);
    prompt->editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(prompt->editor(), QStringLiteral(" More"));
    QCOMPARE(samples->currentIndex(), -1);
    QCOMPARE(samples->currentText(), QString());  // the placeholder shows instead
    QVERIFY(!samples->placeholderText().isEmpty());
    prompt->setText(samples->itemData(0).toString());
    QCOMPARE(samples->currentIndex(), 0);
  }

  // A sample's name tells how long it is the way a reader counts: its words.
  void sampleNamesCountTheirWords() {
    int counted = 0;
    for (const moescope::gui::SamplePrompt& sample : moescope::gui::samplePrompts()) {
      const QRegularExpression count(QStringLiteral("\\((\\d+) words\\)"));
      const auto match = count.match(sample.name);
      if (!match.hasMatch()) continue;
      const qsizetype words = sample.text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts).size();
      QCOMPARE(match.captured(1).toLongLong(), qlonglong(words));
      ++counted;
    }
    QVERIFY(counted >= 1);  // the passage says its length
  }

  void missingFolderShowsErrorAndWindowSurvives() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy idle(&window, &MainWindow::idle);
    auto* closer = new DialogCloser(&window);
    window.openModelFolder(QStringLiteral("/nonexistent/moescope/model"));
    QVERIFY(idle.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(!closer->text.isEmpty(), 10'000);
    QVERIFY2(closer->text.contains(QStringLiteral("nonexistent")), qPrintable(closer->text));
    QVERIFY(!window.isBusy());
    QVERIFY(!window.hasModel());
    QVERIFY(window.isVisible());
    // Still responsive: a second failure goes the same way.
    auto* second = new DialogCloser(&window);
    window.openModelFolder(QStringLiteral("/nonexistent/again"));
    QVERIFY(idle.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(!second->text.isEmpty(), 10'000);
  }

  void demoModelAnalysesTheDefaultPrompt() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new DialogCloser(&window);
    window.promptPanel()->setText(QStringLiteral("As an open source alternative to"));
    window.openDemoModel(true);
    // Idle once after opening, then again after the analysis it starts.
    QTRY_VERIFY_WITH_TIMEOUT(
        !window.isBusy() && (window.routing().layerCount() > 0 || !closer->text.isEmpty()), kDemoTimeoutMs);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    const moescope::widgets::RoutingData& routing = window.routing();
    QVERIFY(routing.tokenCount() >= 6);
    QCOMPARE(routing.experts, 8);
    QCOMPARE(routing.top_k, 2);
    QCOMPARE(routing.layerCount(), 8);
    for (const auto& layer : routing.layers) QVERIFY(layer.isConsistent());

    // The views show what the worker computed.
    auto* strip = window.findChild<moescope::widgets::TokenStrip*>();
    QCOMPARE(strip->chipCount(), routing.tokenCount());
    auto* heatmap = window.findChild<moescope::widgets::RoutingHeatmapView*>();
    const int top = routing.topExpert(0, 1);
    QCOMPARE(float(heatmap->cellValue(top, 1)), routing.mixingWeight(0, 1, top));

    // Cancel with nothing running is harmless; a cancelled run leaves the results.
    window.cancel();
    window.analyze();
    window.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 60'000);
    QCOMPARE(window.routing().layerCount(), 8);

    // Once idle, the run's estimate shows under Analyze and follows the choices: a layer choice
    // the model lacks shows none, a valid one an estimate again.
    QTRY_VERIFY_WITH_TIMEOUT(window.promptPanel()->estimate().endsWith(QStringLiteral(" s")), 30'000);
    window.promptPanel()->layerFilter()->setText(QStringLiteral("0-99"));
    QTRY_VERIFY_WITH_TIMEOUT(window.promptPanel()->estimate().isEmpty(), 30'000);
    window.promptPanel()->layerFilter()->setText(QStringLiteral("3"));
    QTRY_VERIFY_WITH_TIMEOUT(window.promptPanel()->estimate().endsWith(QStringLiteral(" s")), 30'000);
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
