// The routing-statistics (D6) and scores-against-norms (D3) views against hand-built data with
// known values, and results_loading against a results file written here.
#include <QApplication>
#include <QCheckBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QLocale>
#include <QtTest>
#include <cmath>

#include "app/view_data/results_loading.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/gui/sample_run.h"
#include "tests/support/test_support.h"
#include "widgets/analysis_data.h"
#include "widgets/gate_score_chart.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_data.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"

using namespace moescope;
using namespace moescope::widgets;

namespace {

// Two tokens, three experts, top-1, worked out by hand:
//   token 0: scores {0.2, 0.5, 0.3}, norms {4, 1, 2}: score ranks (ascending) E0=1 E1=3 E2=2,
//            norm ranks E0=3 E1=1 E2=2. Top-scored E1, largest norm E0: "is not".
//   token 1: scores {0.6, 0.1, 0.3}, norms {3, 0.5, 1}: both rank E1=1 E2=2 E0=3: "is".
// Counts R[score rank - 1][norm rank - 1]: token 0 gives (1,3) (3,1) (2,2), token 1 (1,1) (2,2)
// (3,3), so R = {{1,0,1},{0,2,0},{1,0,1}} and the top-1 agreement is R[2][2] / 2 = 0.5.
const QVector<float> kScores = {0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f};
const QVector<float> kNorms = {4.0f, 1.0f, 2.0f, 3.0f, 0.5f, 1.0f};
const QVector<qint64> kCountsLayer1 = {1, 0, 1, 0, 2, 0, 1, 0, 1};
const QVector<qint64> kCountsLayer3 = {2, 0, 0, 0, 2, 0, 0, 0, 2};
const QVector<qint64> kCountsAll = {3, 0, 1, 0, 4, 0, 1, 0, 3};

LayerRoutingData sampleLayer() {
  LayerRoutingData layer;
  layer.layer = 1;
  layer.experts = 3;
  layer.top_k = 1;
  layer.gate_scores = kScores;
  layer.topk_ids = {1, 0};
  layer.topk_weights = {1.0f, 1.0f};
  layer.output_norms = kNorms;
  return layer;
}

QVector<LayerAnalyses> sampleAnalyses() {
  LayerAnalyses first;
  first.layer = 1;
  first.load = {0.5f, 0.25f, 0.25f};
  first.load_entropy = 1.0397;
  first.load_normalised_entropy = 0.9464;
  first.load_coefficient_of_variation = 0.3536;
  first.coactivation = {1.0f, 0.25f, 0.5f, 0.125f, 1.0f, 0.0f, 0.75f, 0.0f, 1.0f};
  first.rank_counts = kCountsLayer1;
  first.top1_agreement = 0.5;
  LayerAnalyses second;
  second.layer = 3;
  second.load = {0.0f, 0.5f, 0.5f};
  second.rank_counts = kCountsLayer3;
  second.top1_agreement = 1.0;
  return {first, second};
}

RoutingSummary sampleSummary() {
  RoutingSummary summary;
  summary.rank_counts_all = kCountsAll;
  summary.top1_agreement_overall = 0.75;
  return summary;
}

}  // namespace

class TestStatisticsViews : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void loadBarsEqualTheLoadsWithTheBalancedLine() {
    SelectionModel selection;
    RoutingStatisticsView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    QCOMPARE(view.barCount(), 3);
    QCOMPARE(view.barValue(0), 0.5);
    QCOMPARE(view.barValue(1), 0.25);
    QCOMPARE(view.barValue(2), 0.25);
    QCOMPARE(view.balancedLevel(), 1.0 / 3.0);
    QVERIFY(view.statisticsText().contains(QStringLiteral("1.040")));
    QVERIFY(view.statisticsText().contains(QStringLiteral("0.946")));
    QVERIFY(view.statisticsText().contains(QStringLiteral("0.354")));
    QCOMPARE(view.coactivationSize(), 3);
    QCOMPARE(view.coactivationValue(0, 2), 0.5);
    QCOMPARE(view.coactivationValue(2, 0), 0.75);

    // The view follows the layer.
    selection.setLayer(1);
    QCOMPARE(view.barValue(0), 0.0);
    QCOMPARE(view.barValue(1), 0.5);
    QCOMPARE(view.coactivationSize(), 0);
    QVERIFY(view.statisticsText().isEmpty());
    selection.setLayer(5);
    QCOMPARE(view.barCount(), 0);
    QVERIFY(std::isnan(view.balancedLevel()));
  }

  void clickingALoadBarSelectsTheExpert() {
    SelectionModel selection;
    RoutingStatisticsView view(&selection);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    view.replot();
    const QPoint pos = view.barCenter(2);
    QCOMPARE(view.barAt(pos), std::optional<int>(2));
    QTest::mouseClick(&view, Qt::LeftButton, {}, pos);
    QCOMPARE(selection.expert(), 2);
  }

  // In a German window every shown number has a decimal comma: the entropy beside the
  // agreement percentage, not 1.040 beside 50,0% (files keep the C locale).
  void shownNumbersFollowTheInterfaceLocale() {
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    SelectionModel selection;
    RoutingStatisticsView statistics(&selection);
    statistics.setRunData(test::withAnalyses(sampleAnalyses()));
    RankCountView ranks(&selection);
    ranks.setRunData(test::withAnalyses(sampleAnalyses(), sampleSummary()));
    const QString load = statistics.statisticsText(), agreement = ranks.agreementText();
    const QString csv = statistics.tableData().rows.value(0).join(QLatin1Char(';'));
    QLocale::setDefault(QLocale::c());
    QVERIFY2(load.contains(QStringLiteral("1,040")) && !load.contains(QStringLiteral("1.040")), qPrintable(load));
    QVERIFY2(agreement.contains(QStringLiteral("50,0%")), qPrintable(agreement));
    QVERIFY2(!csv.contains(QStringLiteral("0,5")), qPrintable(csv));
  }

  void rankCountCellsAndTheAllLayersToggle() {
    SelectionModel selection;
    RankCountView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses(), sampleSummary()));
    QCOMPARE(view.matrixSize(), 3);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(view.cellCount(r, c), kCountsLayer1[r * 3 + c]);
    QVERIFY(view.agreementText().contains(QStringLiteral("layer 1: 50.0%")));
    QVERIFY(view.agreementText().contains(QStringLiteral("75.0%")));

    selection.setLayer(1);
    QCOMPARE(view.cellCount(1, 1), qint64(2));
    QCOMPARE(view.cellCount(0, 2), qint64(0));
    QVERIFY(view.agreementText().contains(QStringLiteral("layer 3: 100.0%")));

    view.allLayersToggle()->setChecked(true);
    QVERIFY(view.allLayers());
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(view.cellCount(r, c), kCountsAll[r * 3 + c]);
    view.setAllLayers(false);
    QCOMPARE(view.cellCount(0, 0), qint64(2));
  }

  void agreementFallsBackToTheCounts() {
    SelectionModel selection;
    RankCountView view(&selection);
    QVector<LayerAnalyses> layers = sampleAnalyses();
    layers[0].top1_agreement = std::numeric_limits<double>::quiet_NaN();
    view.setRunData(test::withAnalyses(layers));
    QVERIFY(view.agreementText().contains(QStringLiteral("50.0%")));
    view.setAllLayers(true);
    QCOMPARE(view.matrixSize(), 0);
  }

  void scoreNormChartSaysWhetherTheTopScoreHasTheLargestNorm() {
    GateScoreChart chart;
    const LayerRoutingData layer = sampleLayer();
    chart.showToken(layer, 0, QStringLiteral("a"), -1);
    QVERIFY(chart.showsNorms());
    QCOMPARE(chart.barValue(1), 0.5);
    QCOMPARE(chart.normValue(0), 4.0);
    QCOMPARE(chart.normValue(1), 1.0);
    QVERIFY(chart.comparisonText().contains(QStringLiteral("E1 is not the largest-norm expert")));
    QCOMPARE(chart.scoreRank(1), 3);
    QCOMPARE(chart.normRank(1), 1);
    QCOMPARE(chart.scoreRank(0), 1);
    QCOMPARE(chart.normRank(0), 3);
    QVERIFY(chart.toolTipText(1).contains(QStringLiteral("rank 3 of 3")));
    QVERIFY(chart.toolTipText(1).contains(QStringLiteral("rank 1 of 3")));

    chart.showToken(layer, 1, QStringLiteral("b"), -1);
    QCOMPARE(chart.comparisonText(), QStringLiteral("Top-scored expert E0 is the largest-norm expert"));
    // Token 1 chose E0; with E2 selected (outlined, not chosen) every bar still has its score.
    chart.showToken(layer, 1, QStringLiteral("b"), 2);
    QCOMPARE(chart.barValue(0), double(0.6f));
    QCOMPARE(chart.barValue(1), double(0.1f));
    QCOMPARE(chart.barValue(2), double(0.3f));
    QCOMPARE(chart.normValue(2), 1.0);

    // Without norms the chart is the plain score chart.
    LayerRoutingData plain = layer;
    plain.output_norms.clear();
    chart.showToken(plain, 0, QStringLiteral("a"), -1);
    QVERIFY(!chart.showsNorms());
    QVERIFY(chart.comparisonText().isEmpty());
    QVERIFY(std::isnan(chart.normValue(0)));
    QCOMPARE(chart.barValue(2), 0.3f);
  }

  void resultsLoadingReadsTheStatistics() {
    namespace layout = results::layout;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("stats.h5"));
    {
      results::RunMetadata meta;
      meta.model = "/models/tiny-moe";
      meta.layers = 2;
      meta.experts = 3;
      meta.top_k = 1;
      meta.dtype = "float32";
      meta.device = "cpu";
      results::ResultsWriter writer = results::ResultsWriter::create(path.toStdString(), meta);
      writer.writeStrings(layout::kTokenText, {"a", "b"});
      writer.writeInt(layout::kTokenIds, IndexArray({2}, {5, 6}));
      writer.writeFloat(layout::layerPath(1, layout::ds::kGateScores),
                        FloatArray({2, 3}, std::vector<float>(kScores.begin(), kScores.end())));
      writer.writeInt(layout::layerPath(1, layout::ds::kTopkIds), IndexArray({2, 1}, {1, 0}));
      writer.writeFloat(layout::layerPath(1, layout::ds::kTopkWeights), FloatArray({2, 1}, {1.0f, 1.0f}));
      writer.writeFloat(layout::layerPath(1, layout::ds::kOutputNorms),
                        FloatArray({2, 3}, std::vector<float>(kNorms.begin(), kNorms.end())));
      writer.writeInt(layout::layerPath(1, layout::ds::kRankCounts),
                      IndexArray({3, 3}, std::vector<int64_t>(kCountsLayer1.begin(), kCountsLayer1.end())));
      const std::string load = layout::layerPath(1, layout::ds::kLoad);
      writer.writeFloat(load, FloatArray({3}, {0.5f, 0.25f, 0.25f}));
      writer.setAttribute(load, "entropy", AttributeValue(1.0397));
      writer.setAttribute(load, "normalised_entropy", AttributeValue(0.9464));
      writer.setAttribute(load, "coefficient_of_variation", AttributeValue(0.3536));
      writer.writeFloat(layout::layerPath(1, layout::ds::kCoactivation),
                        FloatArray({3, 3}, {1.0f, 0.25f, 0.5f, 0.125f, 1.0f, 0.0f, 0.75f, 0.0f, 1.0f}));
      writer.writeInt(layout::kSummaryLayers, IndexArray({1}, {1}));
      writer.writeInt(layout::kSummaryRankCountsAll,
                      IndexArray({3, 3}, std::vector<int64_t>(kCountsLayer1.begin(), kCountsLayer1.end())));
      writer.writeFloat(layout::kSummaryTop1Agreement, FloatArray({1}, {0.5f}));
      writer.setAttribute(layout::kSummaryTop1Agreement, layout::attr::kOverall, AttributeValue(0.5));
      writer.finish();
    }

    const view_data::LoadedResults loaded = view_data::loadResults(path);
    QCOMPARE(loaded.data.analyses.size(), 1);
    const LayerAnalyses& layer = loaded.data.analyses[0];
    QCOMPARE(layer.load, (QVector<float>{0.5f, 0.25f, 0.25f}));
    QCOMPARE(layer.load_entropy, 1.0397);
    QCOMPARE(layer.load_normalised_entropy, 0.9464);
    QCOMPARE(layer.load_coefficient_of_variation, 0.3536);
    QCOMPARE(layer.coactivationSide(), 3);
    QCOMPARE(layer.coactivation[6], 0.75f);
    QCOMPARE(layer.rank_counts, kCountsLayer1);
    QCOMPARE(layer.output_norms, kNorms);
    QCOMPARE(layer.top1_agreement, 0.5);
    QCOMPARE(loaded.data.routing.layers.size(), 1);
    QVERIFY(loaded.data.routing.layers[0].hasOutputNorms());
    QCOMPARE(loaded.data.routing.layers[0].outputNorm(1, 0), 3.0f);
    QCOMPARE(loaded.data.diversity.routing.rank_counts_all, kCountsLayer1);
    QCOMPARE(loaded.data.diversity.routing.top1_agreement_overall, 0.5);
  }
};

QTEST_MAIN(TestStatisticsViews)
#include "test_statistics_views.moc"
