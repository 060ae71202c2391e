// Interaction across views: a second results file beside the routing heatmap (same tokens
// required), keyboard navigation from any view without taking keys from the prompt editor, the
// expert pair linked between the co-activation map and the similarity view, a square
// co-activation map, and the window's layout restored at the next start.
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolTip>
#include <QtTest>
#include <cmath>

#include "app/gui/comparison_check.h"
#include "app/gui/live_analysis.h"
#include "app/gui/main_window.h"
#include "app/gui/navigation_actions.h"
#include "app/gui/prompt_panel.h"
#include "core/pipeline/layer_analysis_result.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/gui/sample_run.h"
#include "tests/support/test_support.h"
#include "widgets/analysis_data.h"
#include "widgets/colormaps.h"
#include "widgets/model_summary_panel.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_chip.h"
#include "widgets/token_strip.h"

using namespace moescope;
using namespace moescope::widgets;
using moescope::gui::MainWindow;
namespace layout = results::layout;

namespace {

// Three tokens, four experts, top-1, at decoder layers 1 and 3; token t chooses expert
// (t + shift + layer) % 4 with weight 1.
// `shard`: marked as analyze --shard-out marks a shard holding layers 1 and 3 of layers 0-3.
// `shard_texts`: the shard's texts of a corpus of 4 (first, last); empty: all.
void writeRun(const std::string& path, const std::vector<int64_t>& ids, int shift, bool shard = false,
              const std::vector<int64_t>& shard_texts = {}) {
  results::RunMetadata meta;
  meta.model = "/models/" + std::to_string(shift);
  meta.family = "mixtral";
  meta.layers = 4;
  meta.experts = 4;
  meta.top_k = 1;
  meta.dtype = "float32";
  meta.device = "cpu";
  auto writer = results::ResultsWriter::create(path, meta);
  const int64_t T = int64_t(ids.size());
  writer.writeInt(layout::kTokenIds, IndexArray({T}, ids));
  std::vector<std::string> pieces;
  for (int64_t id : ids) pieces.push_back("t" + std::to_string(id));
  writer.writeStrings(layout::kTokenText, pieces);
  for (int layer : {1, 3}) {
    IndexArray chosen({T, 1});
    FloatArray weights({T, 1}), scores({T, 4});
    for (int64_t t = 0; t < T; ++t) {
      const int64_t e = (t + shift + layer) % 4;
      chosen.values[size_t(t)] = e;
      weights.values[size_t(t)] = 1.0f;
      scores.at(t, e) = 1.0f;
    }
    writer.writeInt(layout::layerPath(layer, layout::ds::kTopkIds), chosen);
    writer.writeFloat(layout::layerPath(layer, layout::ds::kTopkWeights), weights);
    writer.writeFloat(layout::layerPath(layer, layout::ds::kGateScores), scores);
  }
  if (shard) {
    writer.setAttribute(layout::kRoot, layout::attr::kShardLayers, AttributeValue(std::vector<int64_t>{1, 3}));
    writer.setAttribute(layout::kRoot, layout::attr::kModelMoeLayers, AttributeValue(std::vector<int64_t>{0, 1, 2, 3}));
    if (!shard_texts.empty()) {
      writer.setAttribute(layout::kRoot, layout::attr::kShardTexts, AttributeValue(shard_texts));
      writer.setAttribute(layout::kRoot, layout::attr::kCorpusTexts, AttributeValue(int64_t{4}));
    }
  }
  writer.finish();
}

RoutingData routingOf(const QVector<int>& ids, int shift, bool reversed_layers = false) {
  RoutingData data;
  data.experts = 4;
  data.top_k = 1;
  for (int id : ids) {
    data.tokens.append(QStringLiteral("t%1").arg(id));
    data.token_ids.append(id);
  }
  for (int layer : {1, 3}) {
    LayerRoutingData l;
    l.layer = layer;
    l.experts = 4;
    l.top_k = 1;
    for (int t = 0; t < ids.size(); ++t) {
      l.topk_ids.append((t + shift + layer) % 4);
      l.topk_weights.append(0.5f + 0.1f * float(t));
      for (int e = 0; e < 4; ++e) l.gate_scores.append(e == (t + shift + layer) % 4 ? 1.0f : 0.0f);
    }
    if (reversed_layers) data.layers.prepend(l);
    else data.layers.append(l);
  }
  return data;
}

// Four experts; similarity and co-activation both 4 x 4 with distinct entries.
QVector<LayerAnalyses> pairAnalyses() {
  LayerAnalyses layer;
  layer.layer = 1;
  SimilarityMatrix m;
  m.title = QStringLiteral("Weights similarity (up)");
  m.size = 4;
  for (int i = 0; i < 16; ++i) m.values.append(i % 5 == 0 ? 1.0f : 0.1f * float(i % 7));
  layer.matrices.insert(QStringLiteral("weights_similarity/up"), m);
  layer.load = {0.4f, 0.3f, 0.2f, 0.1f};
  for (int i = 0; i < 16; ++i) layer.coactivation.append(i % 5 == 0 ? 1.0f : 0.05f * float(i));
  return {layer};
}

// The visible outline QCPItemRect of a view around cell (row, column), if any.
bool outlines(QCustomPlot* plot, QCPAxisRect* rect, int row, int column) {
  for (QCPItemRect* item : plot->findChildren<QCPItemRect*>()) {
    if (!item->visible() || item->clipAxisRect() != rect) continue;
    const QPointF a = item->topLeft->coords(), b = item->bottomRight->coords();
    if (std::abs(a.x() - (column - 0.5)) < 1e-9 && std::abs(a.y() - (row - 0.5)) < 1e-9 &&
        std::abs(b.x() - (column + 0.5)) < 1e-9 && std::abs(b.y() - (row + 0.5)) < 1e-9)
      return true;
  }
  return false;
}

void openResults(MainWindow& window, const QString& path) {
  QSignalSpy idle(&window, &MainWindow::idle);
  window.openResultsFile(path);
  QVERIFY(idle.wait(30'000));
}

}  // namespace

class TestLiveInteraction : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test-interaction"), /*fresh=*/true);
  }

  void comparisonNeedsTheSameTokens() {
    const RoutingData shown = routingOf({5, 6, 7}, 0);
    QVERIFY(gui::comparisonMismatch(shown, routingOf({5, 6, 7}, 2)).isEmpty());
    const QString count = gui::comparisonMismatch(shown, routingOf({5, 6}, 0));
    QVERIFY2(count.contains(QStringLiteral("2 tokens")) && count.contains(QStringLiteral("3")), qPrintable(count));
    const QString differs = gui::comparisonMismatch(shown, routingOf({5, 9, 7}, 0));
    QVERIFY2(differs.contains(QStringLiteral("Token 1")) && differs.contains(QStringLiteral("id 9")), qPrintable(differs));
    RoutingData wider = routingOf({5, 6, 7}, 0);
    wider.experts = 8;
    QVERIFY(gui::comparisonMismatch(shown, wider).contains(QStringLiteral("8 experts")));
    QVERIFY(!gui::comparisonMismatch({}, shown).isEmpty());
  }

  // The lower panel draws the second run, layers matched by decoder number (its layers come in
  // the other order here), and a click there selects like a click above.
  void heatmapShowsTheSecondRunBelow() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.resize(700, 600);
    const RoutingData first = routingOf({5, 6, 7}, 0);
    const RoutingData second = routingOf({5, 6, 7}, 1, true);
    view.setRunData(test::withRouting(first));
    view.setComparison(second, QStringLiteral("instruct"), QStringLiteral("base"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.hasComparison());
    for (int layer_index : {0, 1}) {
      selection.setLayer(layer_index);
      const int decoder = first.layers[layer_index].layer;
      for (int t = 0; t < 3; ++t)
        for (int e = 0; e < 4; ++e) {
          QCOMPARE(float(view.cellValue(e, t)), first.layers[layer_index].mixingWeight(t, e));
          const float expected = (t + 1 + decoder) % 4 == e ? 0.5f + 0.1f * float(t) : 0.0f;
          QCOMPARE(float(view.comparisonCellValue(e, t)), expected);
        }
    }
    view.replot();
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.comparisonCellCenter(2, 3));
    QCOMPARE(selection.token(), 2);
    QCOMPARE(selection.expert(), 3);
    // Both panels mark the selection.
    QVERIFY(outlines(&view, view.axisRect(), 3, 2));
    QVERIFY(outlines(&view, view.comparisonRect(), 3, 2));
    view.clearComparison();
    QVERIFY(!view.hasComparison());
    QVERIFY(std::isnan(view.comparisonCellValue(0, 0)));
    QCOMPARE(float(view.cellValue(0, 1)), first.layers[1].mixingWeight(1, 0));
    view.replot();
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.cellCenter(0, 1));
    QCOMPARE(selection.token(), 0);
  }

  void windowRefusesAComparisonOnOtherTokens() {
    QTemporaryDir dir;
    const QString shown = dir.filePath(QStringLiteral("instruct.h5"));
    const QString same = dir.filePath(QStringLiteral("base.h5"));
    const QString other = dir.filePath(QStringLiteral("other.h5"));
    writeRun(shown.toStdString(), {5, 6, 7}, 0);
    writeRun(same.toStdString(), {5, 6, 7}, 1);
    writeRun(other.toStdString(), {5, 8, 7}, 1);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openResults(window, shown);
    QCOMPARE(window.routing().tokenCount(), 3);

    auto* closer = new test::DialogCloser(&window);
    QSignalSpy idle(&window, &MainWindow::idle);
    window.openComparisonFile(other);
    QVERIFY(idle.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(!closer->text.isEmpty(), 10'000);
    QVERIFY2(closer->text.contains(QStringLiteral("Token 1")), qPrintable(closer->text));
    QVERIFY(!window.routingHeatmap()->hasComparison());
    QVERIFY(window.isVisible());

    window.openComparisonFile(same);
    QVERIFY(idle.wait(30'000));
    QVERIFY(window.routingHeatmap()->hasComparison());
    QCOMPARE(window.viewTabs()->currentWidget(), static_cast<QWidget*>(window.routingHeatmap()));
    // Layer index 1 is decoder layer 3: the base run's token 0 chose (0 + 1 + 3) % 4 = 0.
    window.selection()->setLayer(1);
    QCOMPARE(window.routingHeatmap()->comparisonCellValue(0, 0), 1.0);
    if (const QByteArray shots = qgetenv("MOESCOPE_SCREENSHOT_DIR"); !shots.isEmpty())
      window.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/comparison.png"));
    window.closeComparison();
    QVERIFY(!window.routingHeatmap()->hasComparison());
    // A missing file is an error message, not a crash.
    auto* missing = new test::DialogCloser(&window);
    window.openComparisonFile(dir.filePath(QStringLiteral("nope.h5")));
    QVERIFY(idle.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(!missing->text.isEmpty(), 10'000);
  }

  // A shard opens like any results file, its layers in the views, under a banner saying what
  // part of the run it holds; a whole run's file hides the banner again.
  void shardOpensUnderABanner() {
    QTemporaryDir dir;
    const QString shard = dir.filePath(QStringLiteral("shard.h5")), whole = dir.filePath(QStringLiteral("whole.h5"));
    writeRun(shard.toStdString(), {5, 6, 7}, 0, true);
    writeRun(whole.toStdString(), {5, 6, 7}, 0);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* banner = window.findChild<QLabel*>(QStringLiteral("PartialResultsBanner"));
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());
    openResults(window, shard);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("holds layers 1, 3 of the model's MoE layers 0-3,")) &&
                 banner->text().contains(QStringLiteral("moescope-cli merge")),
             qPrintable(banner->text()));
    auto* summary = window.findChild<widgets::ModelSummaryPanel*>();
    QVERIFY(summary);
    QCOMPARE(summary->value(QStringLiteral("Partial")), QStringLiteral("a shard: layers 1, 3"));
    openResults(window, whole);
    QVERIFY(!banner->isVisible());
    // A shard of the corpus's texts 2-3 says so, and where the per-token results are.
    const QString texts = dir.filePath(QStringLiteral("texts.h5"));
    writeRun(texts.toStdString(), {5, 6, 7}, 0, true, {2, 3});
    openResults(window, texts);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("Of the corpus's 4 texts it holds texts 2-3 only")) &&
                 banner->text().contains(QStringLiteral("in the shard holding text 0")) &&
                 banner->text().endsWith(QStringLiteral("for the whole run.")),
             qPrintable(banner->text()));
  }

  void keysNavigateFromAnyViewButNotFromTheEditor() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.h5"));
    writeRun(path.toStdString(), {5, 6, 7}, 0);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    openResults(window, path);
    SelectionModel* selection = window.selection();
    selection->setLayer(0);
    selection->setToken(0);
    window.viewTabs()->setCurrentWidget(window.routingHeatmap());
    window.routingHeatmap()->setFocus();
    QTRY_VERIFY(window.routingHeatmap()->hasFocus());
    QTest::keyClick(window.routingHeatmap(), Qt::Key_PageDown);
    QCOMPARE(selection->layer(), 1);
    QTest::keyClick(window.routingHeatmap(), Qt::Key_PageDown);
    QCOMPARE(selection->layer(), 1);  // the last layer stays the last
    QTest::keyClick(window.routingHeatmap(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(selection->layer(), 0);
    QTest::keyClick(window.routingHeatmap(), Qt::Key_Right, Qt::AltModifier);
    QTest::keyClick(window.routingHeatmap(), Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(selection->token(), 2);
    QTest::keyClick(window.routingHeatmap(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(selection->token(), 1);

    // In the prompt editor the same keys are the editor's.
    QPlainTextEdit* editor = window.promptPanel()->editor();
    editor->setFocus();
    QTRY_VERIFY(editor->hasFocus());
    QTest::keyClick(editor, Qt::Key_PageDown);
    QTest::keyClick(editor, Qt::Key_Down, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(selection->layer(), 0);
    QCOMPARE(selection->token(), 1);

    // Ctrl+R analyzes (as Ctrl+Return does); Ctrl+O opens a model folder.
    const auto* navigation = window.navigation();
    QVERIFY(navigation->nextLayer()->shortcuts().contains(QKeySequence(Qt::Key_PageDown)));
    bool has_ctrl_r = false;
    for (QAction* action : window.actions())
      has_ctrl_r |= action->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_R));
    QVERIFY(has_ctrl_r);
  }

  void expertPairIsLinkedAcrossViews() {
    SelectionModel selection;
    RoutingStatisticsView statistics(&selection);
    SimilarityHeatmapView similarity(&selection);
    statistics.resize(900, 500);
    similarity.resize(500, 500);
    statistics.setRunData(test::withAnalyses(pairAnalyses()));
    similarity.setRunData(test::withAnalyses(pairAnalyses()));
    statistics.show();
    similarity.show();
    QVERIFY(QTest::qWaitForWindowExposed(&statistics));
    QVERIFY(QTest::qWaitForWindowExposed(&similarity));
    statistics.replot();
    // A co-activation cell: row e = 2, column f = 0.
    QTest::mouseClick(&statistics, Qt::LeftButton, Qt::NoModifier, statistics.cellCenter(2, 0));
    QCOMPARE(selection.expertPair(), qMakePair(2, 0));
    QCOMPARE(selection.expert(), 2);
    QVERIFY(outlines(&similarity, similarity.axisRect(), 2, 0));
    QVERIFY(outlines(&statistics, statistics.coactivationRect(), 2, 0));
    // And back: a pair chosen in the similarity view is outlined in the co-activation map.
    similarity.replot();
    QTest::mouseClick(&similarity, Qt::LeftButton, Qt::NoModifier, similarity.cellCenter(1, 3));
    QCOMPARE(selection.expertPair(), qMakePair(1, 3));
    QVERIFY(outlines(&statistics, statistics.coactivationRect(), 1, 3));
    QVERIFY(!outlines(&statistics, statistics.coactivationRect(), 2, 0));
  }

  void coactivationMapIsSquare() {
    SelectionModel selection;
    RoutingStatisticsView statistics(&selection);
    statistics.resize(1100, 520);
    statistics.setRunData(test::withAnalyses(pairAnalyses()));
    statistics.show();
    QVERIFY(QTest::qWaitForWindowExposed(&statistics));
    statistics.replot();
    const QRect map = statistics.coactivationRect()->rect();
    QVERIFY2(std::abs(map.width() - map.height()) <= 2,
             qPrintable(QStringLiteral("%1 x %2").arg(map.width()).arg(map.height())));
    QVERIFY(map.width() > 200);
  }

  // A chip's tooltip is made when asked for: it names the token and its experts at the layer.
  void chipTooltipNamesTheExperts() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.resize(600, 120);
    strip.setRunData(test::withRouting(routingOf({5, 6, 7}, 0)));
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    selection.setLayer(1);  // decoder layer 3: token 2 chose (2 + 3) % 4 = E1, weight 0.7
    TokenChip* chip = strip.chip(2);
    const QPoint centre = chip->rect().center();
    QHelpEvent help(QEvent::ToolTip, centre, chip->mapToGlobal(centre));
    QApplication::sendEvent(chip, &help);
    const QString text = QToolTip::text();
    QVERIFY2(text.contains(QStringLiteral("Token 2")) && text.contains(QStringLiteral("id 7")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Layer 3")) && text.contains(QStringLiteral("E1 (0.700)")), qPrintable(text));
    QToolTip::hideText();
    QCOMPARE(strip.chipColor(2), expertColor(1));
  }

  // Live diversity: each layer brings its points (the run computed them, as its summary will
  // hold them, keyed by the summary's paths); the curves fill as layers arrive, NaN for layers
  // still to come and for measures a layer lacks.
  void liveDiversityCurvesFillAsLayersArrive() {
    pipeline::LayerAnalysisResult result;
    result.diversity = {{"/summary/diversity/weights_similarity/up", 0.3},
                        {"/summary/diversity/gate_embedding_similarity", 0.5}};
    gui::LiveAnalysis live;
    live.begin({1, 3, 5});
    view_data::LoadedLayer first;
    first.analyses.layer = 1;
    first.diversity = view_data::readLiveDiversity(result);
    QCOMPARE(first.diversity.keys(), (QList<QString>{QStringLiteral("gate_embedding_similarity"),
                                                     QStringLiteral("weights_similarity/up")}));
    live.add(first);
    view_data::LoadedLayer second;
    second.analyses.layer = 3;
    second.diversity.insert(QStringLiteral("weights_similarity/up"), 0.25);
    live.add(second);
    const DiversityCurves curves = live.data().diversity;
    QCOMPARE(curves.layers, (QVector<int>{1, 3, 5}));
    QCOMPARE(curves.curves.size(), qsizetype(2));
    const QVector<float> up = curves.curves.value(QStringLiteral("weights_similarity/up"));
    QCOMPARE(up.size(), qsizetype(3));
    QCOMPARE(up[0], 0.3f);
    QCOMPARE(up[1], 0.25f);
    QVERIFY(std::isnan(up[2]));
    const QVector<float> gate = curves.curves.value(QStringLiteral("gate_embedding_similarity"));
    QCOMPARE(gate[0], 0.5f);
    QVERIFY(std::isnan(gate[1]) && std::isnan(gate[2]));
    QCOMPARE(live.arrived(), 2);
  }

  void layoutComesBackAtTheNextStart() {
    {
      MainWindow window;
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      window.viewTabs()->setCurrentIndex(5);
      window.findChild<QDockWidget*>(QStringLiteral("TokenInspectorDock"))->hide();
      window.close();
    }
    MainWindow again;
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.viewTabs()->currentIndex(), 5);
    QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("TokenInspectorDock"))->isHidden());
    again.findChild<QDockWidget*>(QStringLiteral("TokenInspectorDock"))->show();
    again.viewTabs()->setCurrentIndex(0);
    again.close();
  }
};

QTEST_MAIN(TestLiveInteraction)
#include "test_live_interaction.moc"
