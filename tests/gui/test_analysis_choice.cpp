// The prompt bar's analyses and layers: the menu's ticks are exactly the set the window sends,
// "Defaults" sends none (the worker's choice), routing cannot be dropped; the layer field takes
// what the run's parser takes and holds Analyze back otherwise; a run on layers "2,5" with the
// weight similarity only fills those two layers, with the same matrices a run on every layer
// gives, and leaves the other measures "not computed" rather than showing an older run's.
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>
#include <cmath>
#include <set>

#include "app/gui/analysis_choice.h"
#include "app/gui/layer_filter_edit.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/test_support.h"
#include "widgets/layer_navigator.h"
#include "widgets/routing_overview_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"

using namespace moescope;
using gui::MainWindow;
using pipeline::Analysis;

namespace {

constexpr int kDemoTimeoutMs = 300'000;  // the first run writes the demo model
const QString kWeightsUp = QStringLiteral("weights_similarity/up");
const QString kNeuronMeanUp = QStringLiteral("neuron_mean_similarity/up");

QAction* analyzeAction(MainWindow& window) {
  for (QAction* action : window.findChildren<QAction*>())
    if (action->text() == QLatin1String("&Analyze")) return action;
  return nullptr;
}

void openDemo(MainWindow& window) {
  QSignalSpy idle(&window, &MainWindow::idle);
  window.promptPanel()->setText(QStringLiteral("As an open source alternative to"));
  window.openDemoModel(false);
  QVERIFY(idle.wait(kDemoTimeoutMs));
  QVERIFY(window.hasModel());
}

void runAndWait(MainWindow& window) {
  QSignalSpy idle(&window, &MainWindow::idle);
  window.analyze();
  QVERIFY(window.isBusy());
  QVERIFY(idle.wait(kDemoTimeoutMs));
}

std::set<Analysis> members(const pipeline::AnalysisSet& set) {
  std::set<Analysis> out;
  for (Analysis a : pipeline::allAnalyses())
    if (set.has(a)) out.insert(a);
  return out;
}

}  // namespace

class TestAnalysisChoice : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test-choice"), /*fresh=*/true);
  }

  void defaultsSendNoSet() {
    MainWindow window;
    gui::AnalysisChoice* choice = window.promptPanel()->analysisChoice();
    choice->useDefaults();
    QVERIFY(!window.pendingRequest().analyses.has_value());
    QCOMPARE(choice->text(), QStringLiteral("A&nalyses: defaults"));
    // The boxes show the CLI's defaults: all but S3 and D4.
    QVERIFY(choice->actionFor(Analysis::Weights)->isChecked());
    QVERIFY(!choice->actionFor(Analysis::NeuronReorder)->isChecked());
    QVERIFY(!choice->actionFor(Analysis::Activations)->isChecked());
  }

  void checkedEntriesAreTheSetSent() {
    MainWindow window;
    gui::AnalysisChoice* choice = window.promptPanel()->analysisChoice();
    choice->useDefaults();
    // Untick all but weights and D6, as a user would, one entry at a time.
    for (Analysis a : pipeline::allAnalyses()) {
      QAction* action = choice->actionFor(a);
      QVERIFY(action);
      if (a == Analysis::Routing) continue;
      const bool want = a == Analysis::Weights || a == Analysis::Stats;
      if (action->isChecked() != want) action->trigger();
    }
    const std::optional<pipeline::AnalysisSet> sent = window.pendingRequest().analyses;
    QVERIFY(sent.has_value());
    QVERIFY(members(*sent) == (std::set<Analysis>{Analysis::Weights, Analysis::Routing, Analysis::Stats}));
    QCOMPARE(choice->text(), QStringLiteral("A&nalyses: 3 of 11"));

    // Ticking S3 adds exactly S3.
    choice->actionFor(Analysis::NeuronReorder)->trigger();
    QVERIFY(members(*window.pendingRequest().analyses) ==
            (std::set<Analysis>{Analysis::Weights, Analysis::NeuronReorder, Analysis::Routing, Analysis::Stats}));

    choice->allAction()->trigger();
    QCOMPARE(members(*window.pendingRequest().analyses).size(), std::size_t(11));
    QCOMPARE(choice->text(), QStringLiteral("A&nalyses: 11 of 11"));

    choice->defaultsAction()->trigger();
    QVERIFY(!window.pendingRequest().analyses.has_value());
  }

  void routingCannotBeUnchecked() {
    MainWindow window;
    gui::AnalysisChoice* choice = window.promptPanel()->analysisChoice();
    QAction* routing = choice->actionFor(Analysis::Routing);
    QVERIFY(routing->isChecked());
    QVERIFY(!routing->isEnabled());
    routing->trigger();  // a disabled action ignores it
    QVERIFY(routing->isChecked());
    // Even with every other entry unticked, the set sent holds routing.
    for (Analysis a : pipeline::allAnalyses())
      if (a != Analysis::Routing && choice->actionFor(a)->isChecked()) choice->actionFor(a)->trigger();
    QVERIFY(members(*window.pendingRequest().analyses) == std::set<Analysis>{Analysis::Routing});
  }

  void clickingAnEntryTicksItAndKeepsTheMenuOpen() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    gui::AnalysisChoice* choice = window.promptPanel()->analysisChoice();
    choice->useDefaults();
    QMenu* menu = choice->menu();
    menu->popup(choice->mapToGlobal(QPoint(0, choice->height())));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    QAction* reorder = choice->actionFor(Analysis::NeuronReorder);
    QVERIFY(!reorder->isChecked());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(reorder).center());
    QVERIFY(reorder->isChecked());
    QVERIFY(menu->isVisible());
    QVERIFY(window.pendingRequest().analyses->has(Analysis::NeuronReorder));
    QCOMPARE(choice->text(), QStringLiteral("A&nalyses: 10 of 11"));
    // The disabled routing entry ignores clicks.
    QAction* routing = choice->actionFor(Analysis::Routing);
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(routing).center());
    QVERIFY(routing->isChecked());
    menu->hide();
    choice->useDefaults();
  }

  void keyboardReachesBothControls() {
    MainWindow window;
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    gui::PromptPanel* prompt = window.promptPanel();
    // Alt+Y: the layer field, by its label's mnemonic.
    prompt->editor()->setFocus();
    QTest::keyClick(&window, Qt::Key_Y, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(prompt->layerFilter()));
    // Tab order along the bar: ... Precision, Analyses, Layers, then the prompt.
    prompt->analysisChoice()->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(prompt->analysisChoice()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(prompt->layerFilter()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(prompt->editor()));
  }

  void choiceAndLayersAreRemembered() {
    {
      MainWindow window;
      window.promptPanel()->analysisChoice()->choose(pipeline::parseAnalyses("gate,pca"));
      window.promptPanel()->layerFilter()->setText(QStringLiteral("1-2"));
      window.close();  // saves the settings
    }
    MainWindow window;
    QVERIFY(members(*window.pendingRequest().analyses) ==
            (std::set<Analysis>{Analysis::Gate, Analysis::Pca, Analysis::Routing}));
    QCOMPARE(window.pendingRequest().layers, QStringLiteral("1-2"));
    window.promptPanel()->analysisChoice()->useDefaults();
    window.promptPanel()->layerFilter()->clear();
  }

  void layerTextIsValidatedAgainstTheModel() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    openDemo(window);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    gui::LayerFilterEdit* field = window.promptPanel()->layerFilter();
    QAction* analyze = analyzeAction(window);
    QVERIFY(analyze);
    QCOMPARE(field->placeholderText(), QStringLiteral("all"));

    // The demo model has 8 decoder layers, all MoE.
    struct Case {
      const char* text;
      bool valid;
      const char* tooltip;  // part of the tooltip
    };
    const Case cases[] = {
        {"", true, "all 8 MoE layer"},
        {"0-3,7", true, "5 MoE layer(s): 0, 1, 2, 3, 7"},
        {"9", false, "layer 9 does not exist (the model has layers 0-7)"},
        {"3-1", false, "runs backwards"},
        {"x", false, "is not a layer list"},
        {"7", true, "1 MoE layer(s): 7"},
    };
    for (const Case& c : cases) {
      field->setText(QString::fromLatin1(c.text));
      const QString what = QStringLiteral("\"%1\": %2").arg(QLatin1String(c.text), field->toolTip());
      QVERIFY2(field->isValid() == c.valid, qPrintable(what));
      QVERIFY2(window.promptPanel()->layersValid() == c.valid, qPrintable(what));
      QVERIFY2(analyze->isEnabled() == c.valid, qPrintable(what));
      QVERIFY2(field->toolTip().contains(QLatin1String(c.tooltip)), qPrintable(what));
      QVERIFY2(field->styleSheet().contains(QLatin1String("border")) == !c.valid, qPrintable(what));
    }
    // A refused field keeps analyze() from starting a run even when called directly.
    field->setText(QStringLiteral("3-1"));
    window.analyze();
    QVERIFY(!window.isBusy());

    // A filter that fitted stops fitting when a smaller model opens: checked again on open.
    field->setText(QStringLiteral("5"));
    QVERIFY(field->isValid());
    window.promptPanel()->setModelLayers(4, {0, 1, 2, 3});
    QVERIFY(!field->isValid());
    QVERIFY(!window.promptPanel()->layersValid());
    QVERIFY2(field->toolTip().contains(QLatin1String("layer 5 does not exist")), qPrintable(field->toolTip()));
    // A dense-only pick on a model with dense layers is refused too: it would show nothing.
    window.promptPanel()->setModelLayers(4, {1, 3});
    field->setText(QStringLiteral("0,2"));
    QVERIFY(!field->isValid());
    field->setText(QStringLiteral("0-1"));
    QVERIFY(field->isValid());
    QVERIFY2(field->toolTip().contains(QLatin1String("1 MoE layer(s): 1")), qPrintable(field->toolTip()));
    field->clear();
  }

  void subsetRunFillsOnlyTheChosenLayers() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    openDemo(window);
    gui::PromptPanel* prompt = window.promptPanel();

    // A full run first: every layer, every default analysis, so the views hold neuron-mean.
    prompt->analysisChoice()->useDefaults();
    prompt->layerFilter()->clear();
    runAndWait(window);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    const QVector<widgets::LayerAnalyses> full = window.similarityView()->analyses();
    QCOMPARE(full.size(), qsizetype(8));
    QCOMPARE(full[2].layer, 2);
    QVERIFY(full[2].matrices.value(kWeightsUp).isConsistent());
    QVERIFY(full[2].matrices.value(kNeuronMeanUp).isConsistent());
    QCOMPARE(full[5].layer, 5);
    // The last layer is the current one, out of reach of the coming run.
    window.selection()->setLayer(7);

    // Then layers 2 and 5 with the weight similarity only.
    prompt->analysisChoice()->choose(pipeline::AnalysisSet({Analysis::Weights}));
    prompt->layerFilter()->setText(QStringLiteral("2,5"));
    const gui::AnalysisRequest request = window.pendingRequest();
    QCOMPARE(request.layers, QStringLiteral("2,5"));
    QVERIFY(members(*request.analyses) == (std::set<Analysis>{Analysis::Weights, Analysis::Routing}));
    runAndWait(window);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));

    // Only layers 2 and 5, everywhere.
    QCOMPARE(window.routing().layerCount(), 2);
    QCOMPARE(window.routing().layers[0].layer, 2);
    QCOMPARE(window.routing().layers[1].layer, 5);
    auto* navigator = window.findChild<widgets::LayerNavigator*>();
    QVERIFY(navigator);
    QCOMPARE(navigator->layers(), (QVector<int>{2, 5}));
    QCOMPARE(window.routingOverview()->layerCount(), 2);
    QCOMPARE(window.routingOverview()->decoderLayer(0), 2);
    QCOMPARE(window.routingOverview()->decoderLayer(1), 5);
    // The current layer (7) is not among them: the selection moved to one that is.
    QVERIFY(window.selection()->layer() >= 0 && window.selection()->layer() < 2);

    const QVector<widgets::LayerAnalyses>& subset = window.similarityView()->analyses();
    QCOMPARE(subset.size(), qsizetype(2));
    QCOMPARE(subset[0].layer, 2);
    QCOMPARE(subset[1].layer, 5);
    // Weight similarity depends on the weights alone: the same numbers as the full run's.
    for (int i = 0; i < 2; ++i) {
      const widgets::SimilarityMatrix& got = subset[i].matrices.value(kWeightsUp);
      const widgets::SimilarityMatrix& want = full[i == 0 ? 2 : 5].matrices.value(kWeightsUp);
      QVERIFY(got.isConsistent());
      QCOMPARE(got.size, want.size);
      for (qsizetype v = 0; v < got.values.size(); ++v) QCOMPARE(got.values[v], want.values[v]);
      // An expert is its own perfect match.
      for (int e = 0; e < got.size; ++e) QVERIFY(std::abs(got.at(e, e) - 1.0f) < 1e-5f);
    }
    // Not asked for, so not there: neither this run's nor the previous run's neuron-mean.
    QVERIFY(!subset[0].matrices.contains(kNeuronMeanUp));
    QVERIFY(!subset[1].matrices.contains(kNeuronMeanUp));
    // The view offers the weight measures only; the neuron-mean of the full run is gone.
    QVERIFY(window.similarityView()->measures().contains(kWeightsUp));
    QVERIFY(!window.similarityView()->measures().contains(kNeuronMeanUp));
    window.selection()->setLayer(0);
    window.similarityView()->setCurrentMeasure(kWeightsUp);
    QCOMPARE(window.similarityView()->currentMeasure(), kWeightsUp);
    QCOMPARE(window.similarityView()->cellValue(0, 1), double(full[2].matrices.value(kWeightsUp).at(0, 1)));
    // Routing statistics were not asked for: no loads in the overview.
    QVERIFY(!window.routingOverview()->isRowFilled(0));
    QVERIFY(!window.routingOverview()->isRowFilled(1));

    // A run with the statistics only: no similarity left at all, the loads are back.
    prompt->analysisChoice()->choose(pipeline::AnalysisSet({Analysis::Stats}));
    prompt->layerFilter()->setText(QStringLiteral("3"));
    window.selection()->setLayer(1);
    runAndWait(window);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    QCOMPARE(window.routing().layerCount(), 1);
    QCOMPARE(window.selection()->layer(), 0);
    QVERIFY(window.similarityView()->measures().isEmpty());
    QCOMPARE(window.similarityView()->matrixSize(), 0);
    QCOMPARE(window.routingOverview()->layerCount(), 1);
    QCOMPARE(window.routingOverview()->decoderLayer(0), 3);
    QVERIFY(window.routingOverview()->isRowFilled(0));
    // The loads are shares of the routing slots: they add up to one.
    double total = 0;
    for (int e = 0; e < window.routingOverview()->expertCount(); ++e) total += window.routingOverview()->cellValue(0, e);
    QVERIFY2(std::abs(total - 1.0) < 1e-4, qPrintable(QString::number(total)));

    prompt->analysisChoice()->useDefaults();
    prompt->layerFilter()->clear();
  }
};

QTEST_MAIN(TestAnalysisChoice)
#include "test_analysis_choice.moc"
