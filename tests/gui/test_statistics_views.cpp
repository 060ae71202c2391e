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
#include "widgets/data_table.h"
#include "widgets/gate_fit_view.h"
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

// A results file of `layers` decoder layers of three experts, top-1, and the two tokens "a"
// (id 5) and "b" (id 6): what each test then writes its datasets into.
results::ResultsWriter tinyResults(const QString& path, int layers) {
  results::RunMetadata meta;
  meta.model = "/models/tiny-moe";
  meta.layers = layers;
  meta.experts = 3;
  meta.top_k = 1;
  meta.dtype = "float32";
  meta.device = "cpu";
  results::ResultsWriter writer = results::ResultsWriter::create(path.toStdString(), meta);
  writer.writeStrings(results::layout::kTokenText, {"a", "b"});
  writer.writeInt(results::layout::kTokenIds, IndexArray({2}, {5, 6}));
  return writer;
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

  // The paper's drawing of the same counts: one bar per gate-score rank at each norm rank, rank 1
  // leftmost, values R[score rank - 1][norm rank - 1] from the hand-worked tokens above.
  void rankCountsDrawAsThePapersGroupedBars() {
    SelectionModel selection;
    RankCountView view(&selection);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withAnalyses(sampleAnalyses(), sampleSummary()));
    view.setDrawing(RankCountView::Drawing::GroupedBars);
    view.replot();
    QCOMPARE(view.rankBars().size(), 3);
    QVERIFY(!view.colorMap()->visible());
    QVERIFY(!view.colorMap()->colorScale()->visible());
    QVERIFY(view.legend->visible());
    QStringList entries;
    for (int i = 0; i < view.legend->itemCount(); ++i)
      if (auto* item = qobject_cast<QCPPlottableLegendItem*>(view.legend->item(i))) entries << item->plottable()->name();
    QCOMPARE(entries, (QStringList{"score rank 1", "score rank 2", "score rank 3"}));
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        QCOMPARE(view.rankBars()[r]->data()->at(c)->key, double(c));
        QCOMPARE(view.rankBars()[r]->data()->at(c)->value, double(kCountsLayer1[r * 3 + c]));
        // Bar r of group c is centred (r - 1) bar widths (0.8 / 3) right of c.
        const double key = c + (r - 1) * 0.8 / 3.0;
        const QPoint centre(int(std::lround(view.xAxis->coordToPixel(key))),
                            int(std::lround(view.yAxis->coordToPixel(0.25))));
        QCOMPARE(view.barAt(centre), (std::optional<std::pair<int, int>>(std::make_pair(r, c))));
      }
    // The counts axis starts at 0 and holds the largest count (2).
    QCOMPARE(view.yAxis->range().lower, 0.0);
    QVERIFY(view.yAxis->range().upper >= 2.0);
    // Ordered ranks, ordered colours: lighter with the rank.
    QVERIFY(view.rankBars()[0]->brush().color().lightnessF() < view.rankBars()[1]->brush().color().lightnessF());
    QVERIFY(view.rankBars()[1]->brush().color().lightnessF() < view.rankBars()[2]->brush().color().lightnessF());

    view.setAllLayers(true);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(view.rankBars()[r]->data()->at(c)->value, double(kCountsAll[r * 3 + c]));

    // Back to the heatmap: the same counts in cells, no bars.
    view.setDrawing(RankCountView::Drawing::Heatmap);
    QVERIFY(view.rankBars().isEmpty());
    QVERIFY(view.colorMap()->visible());
    QCOMPARE(view.cellCount(0, 0), kCountsAll[0]);
    QVERIFY(view.yAxis->rangeReversed());

    // Sixteen ranks: no legend of sixteen entries; the colour bar names the ranks 1..16.
    LayerAnalyses many;
    many.layer = 0;
    many.rank_counts.fill(0, 16 * 16);
    for (int i = 0; i < 16; ++i) many.rank_counts[i * 16 + i] = 5;
    view.setRunData(test::withAnalyses({many}));
    view.setAllLayers(false);
    view.setDrawing(RankCountView::Drawing::GroupedBars);
    QCOMPARE(view.rankBars().size(), 16);
    QVERIFY(!view.legend->visible());
    QVERIFY(view.colorMap()->colorScale()->visible());
    QCOMPARE(view.colorMap()->colorScale()->dataRange(), QCPRange(1.0, 16.0));
    QCOMPARE(view.rankBars()[7]->data()->at(7)->value, 5.0);
    QCOMPARE(view.rankBars()[7]->data()->at(8)->value, 0.0);
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

  // S4's table read back from /summary/gate_regression (rows in /summary/layers' order, here
  // layer 3 before layer 1) and drawn: a line per projection, the mean row over the plot, the
  // selected layer marked, the table as CSV fields and as a LaTeX tabular.
  void gateFitReadsAndDrawsTheRegression() {
    namespace layout = results::layout;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fit.h5"));
    {
      results::ResultsWriter writer = tinyResults(path, 4);
      const FloatArray eye({3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
      for (int layer : {1, 3}) {
        writer.writeFloat(layout::layerPath(layer, layout::ds::kGateEmbeddingSimilarity), eye);
        writer.writeFloat(layout::layerPath(layer, layout::ds::kNeuronMeanSimilarity, layout::Projection::Gate), eye);
      }
      const float nan = std::numeric_limits<float>::quiet_NaN();
      writer.writeInt(layout::kSummaryLayers, IndexArray({2}, {3, 1}));
      writer.writeFloat(layout::kSummaryGateRegressionR2, FloatArray({2, 3}, {0.09f, 0.64f, nan, 0.25f, 0.36f, 0.01f}));
      writer.setAttribute(layout::kSummaryGateRegressionR2, layout::attr::kMean, AttributeValue(std::vector<double>{0.17, 0.5, 0.01}));
      writer.writeFloat(layout::kSummaryGateRegressionR, FloatArray({2, 3}, {0.3f, -0.8f, nan, 0.5f, 0.6f, 0.1f}));
      writer.finish();
    }
    const view_data::LoadedResults loaded = view_data::loadResults(path);
    const GateRegression& fit = loaded.data.diversity.gate_regression;
    QCOMPARE(fit.layers, (QVector<int>{3, 1}));
    QCOMPARE(fit.r2At(0, 1), 0.64f);
    QVERIFY(std::isnan(fit.r2At(0, 2)));
    QCOMPARE(fit.rAt(1, 2), 0.1f);
    QCOMPARE(fit.mean_r2, (QVector<double>{0.17, 0.5, 0.01}));

    SelectionModel selection;
    GateFitView view(&selection);
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(loaded.data);
    view.replot();
    QCOMPARE(view.graph(1)->data()->at(0)->value, double(0.64f));
    QCOMPARE(view.graph(0)->data()->at(1)->value, double(0.25f));
    QVERIFY(std::isnan(view.graph(2)->data()->at(0)->value));
    QCOMPARE(view.tableText(0, 2), QStringLiteral("gate"));
    QCOMPARE(view.tableText(1, 1), QStringLiteral("0.17"));
    QCOMPARE(view.tableText(1, 2), QStringLiteral("0.50"));
    QCOMPARE(view.tableText(1, 3), QStringLiteral("0.01"));
    QCOMPARE(view.yAxis->range(), QCPRange(0.0, 1.0));

    // The run's layers are 1, 3: index 0 is decoder layer 1, the fit's second row.
    QCOMPARE(view.layerMarker()->point1->coords().x(), 1.0);
    const QPoint first_row(int(std::lround(view.xAxis->coordToPixel(0))), int(std::lround(view.yAxis->coordToPixel(0.5))));
    QCOMPARE(view.rowAt(first_row), std::optional<int>(0));
    QTest::mouseClick(&view, Qt::LeftButton, {}, first_row);
    QCOMPARE(selection.layer(), 1);  // decoder layer 3
    QCOMPARE(view.layerMarker()->point1->coords().x(), 0.0);

    const DataTable table = view.tableData();
    QCOMPARE(table.columns, (QStringList{"layer", "R2_up", "R2_gate", "R2_down", "r_up", "r_gate", "r_down"}));
    QCOMPARE(table.rows.size(), 3);
    QCOMPARE(table.rows[0], (QStringList{"3", "0.09", "0.64", "", "0.3", "-0.8", ""}));
    QCOMPARE(table.rows[2], (QStringList{"mean", "0.17", "0.5", "0.01", "", "", ""}));
    const QString latex = QString::fromUtf8(toLatex(table));
    QVERIFY2(latex.startsWith(QStringLiteral("\\begin{tabular}{lrrrrrr}\n\\toprule\nlayer & R2\\_up & R2\\_gate")), qPrintable(latex));
    QVERIFY2(latex.contains(QStringLiteral("3 & 0.09 & 0.64 & -- & 0.30 & -0.80 & -- \\\\\n")), qPrintable(latex));
    QVERIFY2(latex.contains(QStringLiteral("mean & 0.17 & 0.50 & 0.01 & -- & -- & -- \\\\\n\\bottomrule")), qPrintable(latex));
  }

  // Without the file's summary (a run in progress) the view works the fit out from the matrices.
  // Pairs (1,0), (2,0), (2,1): the gate embedding y = 0.1, 0.2, 0.3; the gate projection's
  // neuron-mean x = 0.2, 0.4, 0.6 (a line: R² = 1); up x = 0.3, 0.1, 0.2 (centred dx = .1, -.1,
  // 0 against dy = -.1, 0, .1: r = -.01 / sqrt(.02 * .02) = -0.5, R² = 0.25). Layer 5's up is a
  // line too, so the mean R² of up over both layers is (0.25 + 1) / 2. Down is missing: no
  // value. The F row and column of layer 5's matrices stay out of the fit.
  void gateFitFromTheMatricesIsWorkedOutByHand() {
    const auto matrix = test::symmetricMatrix;
    LayerAnalyses first, second;
    first.layer = 3;
    first.matrices.insert(QStringLiteral("gate_embedding_similarity"), matrix(3, {0.1f, 0.2f, 0.3f}));
    first.matrices.insert(QStringLiteral("neuron_mean_similarity/gate"), matrix(3, {0.2f, 0.4f, 0.6f}));
    first.matrices.insert(QStringLiteral("neuron_mean_similarity/up"), matrix(3, {0.3f, 0.1f, 0.2f}));
    second.layer = 5;
    second.matrices.insert(QStringLiteral("gate_embedding_similarity"), matrix(3, {0.1f, 0.2f, 0.3f}));
    // With F: pairs (3, *) are F's and must not enter.
    second.matrices.insert(QStringLiteral("neuron_mean_similarity/gate"), matrix(4, {0.2f, 0.4f, 0.6f, -0.9f, 0.9f, -0.5f}));
    second.matrices.insert(QStringLiteral("neuron_mean_similarity/up"), matrix(4, {0.5f, 0.7f, 0.9f, 0.0f, 0.0f, 0.0f}));
    const GateRegression fit = gateRegressionOf({first, second});
    QCOMPARE(fit.layers, (QVector<int>{3, 5}));
    QVERIFY(qAbs(fit.rAt(0, 0) - -0.5f) < 1e-5f);
    QVERIFY(qAbs(fit.r2At(0, 0) - 0.25f) < 1e-5f);
    QVERIFY(qAbs(fit.r2At(0, 1) - 1.0f) < 1e-5f);
    QVERIFY(qAbs(fit.r2At(1, 1) - 1.0f) < 1e-5f);
    QVERIFY(std::isnan(fit.r2At(0, 2)));
    QVERIFY(qAbs(fit.mean_r2[0] - 0.625) < 1e-5);
    QVERIFY(qAbs(fit.mean_r2[1] - 1.0) < 1e-5);
    QVERIFY(std::isnan(fit.mean_r2[2]));

    // The view shows it when the run's summary has none.
    SelectionModel selection;
    GateFitView view(&selection);
    view.setRunData(test::withAnalyses({first, second}));
    QCOMPARE(view.regression().layers, (QVector<int>{3, 5}));
    QCOMPARE(view.tableText(1, 2), QStringLiteral("1.00"));
    QCOMPARE(view.tableText(1, 3), QStringLiteral("–"));
    // Only a gate embedding, nothing to fit against: no fit.
    LayerAnalyses alone;
    alone.matrices.insert(QStringLiteral("gate_embedding_similarity"), matrix(3, {0.1f, 0.2f, 0.3f}));
    QVERIFY(gateRegressionOf({alone}).isEmpty());
  }

  void resultsLoadingReadsTheStatistics() {
    namespace layout = results::layout;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("stats.h5"));
    {
      results::ResultsWriter writer = tinyResults(path, 2);
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
