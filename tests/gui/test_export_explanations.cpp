// "What am I looking at?": every view of the window carries an explanation in three parts
// (what is plotted, how to read it, what the paper found), a "?" button shows it, the
// similarity view explains the measure it shows, and Help > What am I looking at? (F1) explains
// the view last clicked.
#include <QAction>
#include <QApplication>
#include <QStandardPaths>
#include <QTabWidget>
#include <QWhatsThis>
#include <QtTest>

#include "app/gui/main_window.h"
#include "app/gui/view_actions.h"
#include "tests/support/gui/sample_run.h"
#include "tests/support/test_support.h"
#include "widgets/analysis_data.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/explanation_button.h"
#include "widgets/gate_score_chart.h"
#include "widgets/layer_navigator.h"
#include "widgets/plot_view.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

using namespace moescope;
using namespace moescope::widgets;

namespace {

bool hasThreeParts(const QString& text) {
  return text.contains(QLatin1String("What is plotted.")) && text.contains(QLatin1String("How to read it.")) &&
         text.contains(QLatin1String("What the paper found."));
}

// The What's This bubble on screen, if any (Qt's own class, found by name).
QWidget* whatsThisBubble() {
  for (QWidget* widget : QApplication::topLevelWidgets())
    if (widget->isVisible() && QLatin1String(widget->metaObject()->className()) == QLatin1String("QWhatsThat")) return widget;
  return nullptr;
}

SimilarityMatrix identity2() {
  SimilarityMatrix m;
  m.title = QStringLiteral("m");
  m.labels = {QStringLiteral("0"), QStringLiteral("1")};
  m.size = 2;
  m.values = {1.0f, 0.0f, 0.0f, 1.0f};
  return m;
}

}  // namespace

class TestExportExplanations : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void cleanup() { QWhatsThis::hideText(); }

  void everyViewExplainsItself() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    LayerNavigator navigator(&selection);
    TokenInspector inspector(&selection);
    GateScoreChart chart;
    RoutingHeatmapView routing(&selection);
    SimilarityHeatmapView similarity(&selection);
    DiversityCurvesView diversity(&selection);
    RoutingStatisticsView statistics(&selection);
    RankCountView ranks(&selection);
    const QList<QWidget*> views = {&strip, &navigator, &inspector, &chart, &routing,
                                   &similarity, &diversity, &statistics, &ranks};
    QSet<QString> texts;
    for (QWidget* view : views) {
      const QString name = QString::fromLatin1(view->metaObject()->className());
      QVERIFY2(hasThreeParts(view->whatsThis()), qPrintable(name));
      QVERIFY2(view->findChild<ExplanationButton*>(), qPrintable(name));
      texts.insert(view->whatsThis());
    }
    // Each says something of its own.
    QCOMPARE(texts.size(), views.size());
    // The paper's findings are where they belong.
    QVERIFY(chart.whatsThis().contains(QLatin1String("largest norms")));
    QVERIFY(ranks.whatsThis().contains(QLatin1String("largest norms")));
    QVERIFY(diversity.whatsThis().contains(QLatin1String("last layer")));
  }

  void theButtonShowsTheExplanation() {
    SelectionModel selection;
    RankCountView view(&selection);
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* button = view.findChild<ExplanationButton*>();
    QVERIFY(button);
    QVERIFY(button->isVisible());
    // In the top-right corner, inside the view.
    QVERIFY(button->geometry().right() < view.width());
    QVERIFY(button->geometry().left() > view.width() / 2);
    QVERIFY(!whatsThisBubble());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(whatsThisBubble());
  }

  void similarityExplainsTheMeasureShown() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    LayerAnalyses layer;
    layer.layer = 0;
    for (const char* key : {"weights_similarity/gate", "neuron_mean_similarity/up", "gate_embedding_similarity",
                            "output_angular_similarity_mean", "neuron_reorder_kendall_tau/down"})
      layer.matrices.insert(QString::fromLatin1(key), identity2());
    view.setRunData(test::withAnalyses({layer}));
    const QList<QPair<QString, QString>> expected = {
        {QStringLiteral("weights_similarity/gate"), QStringLiteral("S1")},
        {QStringLiteral("neuron_mean_similarity/up"), QStringLiteral("(S2")},
        {QStringLiteral("gate_embedding_similarity"), QStringLiteral("(S4)")},
        {QStringLiteral("output_angular_similarity_mean"), QStringLiteral("(D2)")},
        {QStringLiteral("neuron_reorder_kendall_tau/down"), QStringLiteral("Kendall")},
    };
    for (const auto& [key, mark] : expected) {
      view.setCurrentMeasure(key);
      QCOMPARE(view.currentMeasure(), key);
      QVERIFY2(view.whatsThis().contains(mark), qPrintable(key));
      QVERIFY(hasThreeParts(view.whatsThis()));
    }
    // The projection is named in the text of a per-projection measure.
    view.setCurrentMeasure(QStringLiteral("weights_similarity/gate"));
    QVERIFY(view.whatsThis().contains(QLatin1String("gate-projection")));
  }

  void everyViewOfTheWindowHasAnExplanation() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Whatever views the window holds, in tabs or docks: each plot explains itself.
    const QList<PlotView*> plots = window.findChildren<PlotView*>();
    QVERIFY(plots.size() >= 6);
    for (PlotView* plot : plots)
      QVERIFY2(hasThreeParts(plot->whatsThis()), plot->metaObject()->className());
    for (int i = 0; i < window.viewTabs()->count(); ++i) {
      QWidget* page = window.viewTabs()->widget(i);
      const bool explained = !page->whatsThis().isEmpty() || page->findChild<PlotView*>();
      QVERIFY2(explained, qPrintable(window.viewTabs()->tabText(i)));
    }
  }

  void helpExplainsTheViewLastClicked() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* actions = window.findChild<gui::ViewActions*>(QStringLiteral("ViewActions"));
    QVERIFY(actions);
    QCOMPARE(actions->explainAction()->shortcut(), QKeySequence(QKeySequence::HelpContents));
    window.viewTabs()->setCurrentWidget(window.similarityView());
    QTest::mouseClick(window.similarityView(), Qt::LeftButton, {}, window.similarityView()->rect().center());
    QCOMPARE(actions->currentView(), static_cast<QWidget*>(window.similarityView()));
    actions->explainAction()->trigger();
    QTRY_VERIFY(whatsThisBubble());
    QWhatsThis::hideText();

    // Another tab shown by its tab bar: its view is the current one.
    window.viewTabs()->setCurrentWidget(window.diversityView());
    QCOMPARE(actions->currentView(), static_cast<QWidget*>(window.diversityView()));
    // The token strip is a view too.
    auto* strip = window.findChild<TokenStrip*>();
    QVERIFY(strip);
    QTest::mouseClick(strip, Qt::LeftButton, {}, QPoint(5, 5));
    QCOMPARE(actions->currentView(), static_cast<QWidget*>(strip));
  }
};

QTEST_MAIN(TestExportExplanations)
#include "test_export_explanations.moc"
