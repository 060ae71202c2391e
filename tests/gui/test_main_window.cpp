// The real main window with the real worker thread: errors reach the user as a dialog and
// the window survives them; the demo model opens and its routing reaches the views.
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "app/gui/layer_filter_edit.h"
#include "core/checkpoint/model_folder.h"
#include "app/gui/main_window.h"
#include "app/gui/model_summary_rows.h"
#include "app/gui/prompt_panel.h"
#include "app/gui/sample_prompts.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "widgets/plot_view.h"
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

  // With nothing to show, every view says so across its width: a title wrapped to a narrow
  // strip at the left (an empty legend or grid capping its column) fails here.
  void emptyViewsUseTheirWholeWidth() {
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTabWidget* tabs = window.viewTabs();
    int titles = 0;
    for (int tab = 0; tab < tabs->count(); ++tab) {
      tabs->setCurrentIndex(tab);
      QApplication::processEvents();
      QList<moescope::widgets::PlotView*> views = tabs->widget(tab)->findChildren<moescope::widgets::PlotView*>();
      if (auto* page = qobject_cast<moescope::widgets::PlotView*>(tabs->widget(tab))) views.prepend(page);
      for (moescope::widgets::PlotView* view : views) {
        if (!view->isVisible()) continue;
        view->replot();
        QApplication::processEvents();
        for (QCPLayoutElement* element : view->plotLayout()->elements(true)) {
          auto* text = qobject_cast<QCPTextElement*>(element);
          if (!text || !text->visible() || text->text().isEmpty()) continue;
          ++titles;
          const QString where = QStringLiteral("%1, tab \"%2\": \"%3\" in %4 of %5 pixels")
                                    .arg(QString::fromLatin1(view->metaObject()->className()), tabs->tabText(tab),
                                         text->text(), QString::number(text->outerRect().width()),
                                         QString::number(view->width()));
          QVERIFY2(text->outerRect().width() > view->width() / 2, qPrintable(where));
        }
      }
    }
    QVERIFY(titles >= tabs->count());
  }

  // The Model panel reports what inspect does: dense layers beside the MoE ones, shared
  // experts, DeepSeek's expert groups (tinyFamilySpec: DeepSeekMoE 3 layers, the first dense,
  // 2 shared experts of width 8; V3 4 groups keeping 2, factor 2.5).
  void modelPanelRowsMatchInspect() {
    QTemporaryDir tmp;
    const auto rowsOf = [&](moescope::checkpoint::Family family, const char* name) {
      const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / name;
      moescope::test::writeTinyModel(dir, moescope::test::tinyFamilySpec(family));
      QMap<QString, QString> rows;
      for (const auto& row : moescope::gui::modelSummaryRows(moescope::checkpoint::openModel(dir), QStringLiteral("none")))
        rows.insert(row.first, row.second);
      return rows;
    };
    const auto deepseek = rowsOf(moescope::checkpoint::Family::DeepseekMoe, "deepseek");
    QCOMPARE(deepseek.value(QStringLiteral("Layers")), QStringLiteral("3 (2 MoE, 1 dense)"));
    QCOMPARE(deepseek.value(QStringLiteral("Shared experts")),
             QStringLiteral("2 shared experts (one block of width 16), always added"));
    QVERIFY(!deepseek.contains(QStringLiteral("Expert groups")));
    const auto v3 = rowsOf(moescope::checkpoint::Family::DeepseekV3, "v3");
    QCOMPARE(v3.value(QStringLiteral("Expert groups")), QStringLiteral("4 groups, best 2 kept; weights x 2.5"));
    // A folder given relative to the working directory is shown whole.
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(tmp.path());
    const auto relative = moescope::gui::modelSummaryRows(moescope::checkpoint::openModel("deepseek"), QStringLiteral("none"));
    QDir::setCurrent(cwd);
    bool folder_shown = false;
    for (const auto& row : relative)
      if (row.first == QStringLiteral("Folder")) {
        QCOMPARE(row.second, QDir(tmp.path()).absoluteFilePath(QStringLiteral("deepseek")));
        folder_shown = true;
      }
    QVERIFY(folder_shown);
    const auto mixtral = rowsOf(moescope::checkpoint::Family::Mixtral, "mixtral");
    QCOMPARE(mixtral.value(QStringLiteral("Shared experts")), QStringLiteral("none"));
    QCOMPARE(mixtral.value(QStringLiteral("Layers")), QStringLiteral("3 (3 MoE, 0 dense)"));
  }

  // The explorer run headless for a screenshot (the demo model, analysed, then saved) prints
  // no platform noise: the offscreen plugin's size-hint warning came once per window.
  void headlessScreenshotIsQuiet() {
    QTemporaryDir home;
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const char* dir : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
      env.insert(QString::fromLatin1(dir), home.filePath(QString::fromLatin1(dir)));
    app.setProcessEnvironment(env);
    const QString shot = home.filePath(QStringLiteral("window.png"));
    app.start(QStringLiteral(MOESCOPE_APP_PATH), {QStringLiteral("--screenshot"), shot});
    QVERIFY(app.waitForFinished(300'000));
    const QString err = QString::fromUtf8(app.readAllStandardError());
    QCOMPARE(app.exitCode(), 0);
    QVERIFY(QFileInfo::exists(shot));
    QVERIFY2(!err.contains(QLatin1String("propagateSizeHints")), qPrintable(err));
  }

  // A layer list that cannot run says why below the bar, not only in the field's tooltip.
  void layersProblemIsShownInWords() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    moescope::gui::PromptPanel* prompt = window.promptPanel();
    prompt->setModelLayers(8, {0, 1, 2, 3, 4, 5, 6, 7});
    QLabel* label = prompt->layersProblemLabel();
    QVERIFY(label->isHidden());
    prompt->layerFilter()->setText(QStringLiteral("3-x"));
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().contains(prompt->layersProblem()), qPrintable(label->text()));
    QVERIFY(!prompt->layersProblem().isEmpty());
    prompt->layerFilter()->setText(QStringLiteral("12"));  // beyond the model's 8 layers
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().contains(prompt->layersProblem()), qPrintable(label->text()));
    prompt->layerFilter()->setText(QStringLiteral("2-3"));
    QVERIFY(label->isHidden());
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
