// The analysis views against hand-built matrices and curves, and results_loading against a
// results file written here with known values.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

#include "app/gui/analysis_worker.h"
#include "app/gui/main_window.h"
#include "app/gui/view_actions.h"
#include "app/view_data/results_loading.h"
#include "core/cancel_token.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/gui/sample_run.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "widgets/analysis_data.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"

using namespace moescope;
using namespace moescope::widgets;

using test::sampleAnalyses;
using test::sampleRouting;

namespace {

const QString kUp = QStringLiteral("weights_similarity/up");
const QString kGate = QStringLiteral("gate_embedding_similarity");

DiversityCurves sampleCurves() {
  DiversityCurves curves;
  curves.layers = {3, 5, 7};
  curves.curves.insert(kUp, {0.3f, 0.2f, 0.25f});
  curves.curves.insert(kGate, {0.1f, std::numeric_limits<float>::quiet_NaN(), 0.05f});
  return curves;
}

void writeSampleResults(const std::filesystem::path& path) {
  namespace layout = results::layout;
  results::RunMetadata meta;
  meta.model = "/models/tiny-moe";
  meta.family = "mixtral";
  meta.layers = 2;
  meta.experts = 2;
  meta.top_k = 1;
  meta.dtype = "float32";
  meta.device = "cpu";
  meta.analyses = {"weights", "routing"};
  results::ResultsWriter writer = results::ResultsWriter::create(path, meta);
  writer.writeStrings(layout::kTokenText, {"▁Hello", "東京"});
  writer.writeInt(layout::kTokenIds, IndexArray({2}, {15043, 31000}));
  FloatArray similarity({3, 3}, {1.0f, 0.125f, -0.25f, 0.125f, 1.0f, 0.5f, -0.25f, 0.5f, 1.0f});
  similarity.labels = {"0", "1", "F"};
  writer.writeFloat(layout::layerPath(1, layout::ds::kWeightsSimilarity, layout::Projection::Up), similarity);
  writer.writeFloat(layout::layerPath(1, layout::ds::kGateScores), FloatArray({2, 2}, {0.75f, 0.25f, 0.125f, 0.875f}));
  writer.writeInt(layout::layerPath(1, layout::ds::kTopkIds), IndexArray({2, 1}, {0, 1}));
  writer.writeFloat(layout::layerPath(1, layout::ds::kTopkWeights), FloatArray({2, 1}, {1.0f, 1.0f}));
  writer.writeInt(layout::kSummaryLayers, IndexArray({1}, {1}));
  writer.writeFloat(layout::diversityPath(layout::ds::kWeightsSimilarity, layout::Projection::Up),
                    FloatArray({1}, {0.1875f}));
  writer.finish();
}

}  // namespace

class TestAnalysisViews : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void heatmapShowsTheMatrixOfTheSelectedLayer() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    QCOMPARE(view.measures(), QStringList{kUp});
    QCOMPARE(view.currentMeasure(), kUp);
    QCOMPARE(view.matrixSize(), 3);
    const SimilarityMatrix m = sampleAnalyses()[0].matrices[kUp];  // a copy: the analyses are a temporary
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(view.cellValue(r, c), double(m.at(r, c)));

    selection.setLayer(1);
    QCOMPARE(view.cellValue(0, 1), 0.6f);
    QCOMPARE(view.cellValue(2, 0), 0.3f);
  }

  void negativeValuesGetTheDivergingGradient() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    QVERIFY(view.isDiverging());
    const QCPRange range = view.colorScale()->dataRange();
    QCOMPARE(range.lower, -0.1f);
    QCOMPARE(range.upper, 0.4f);
    // White at 0, blue below, red above.
    const QColor zero = QColor::fromRgb(view.colorScale()->gradient().color(0.0, range));
    QVERIFY2(zero.red() > 240 && zero.green() > 240 && zero.blue() > 240, qPrintable(zero.name()));
    const QColor low = QColor::fromRgb(view.colorScale()->gradient().color(range.lower, range));
    const QColor high = QColor::fromRgb(view.colorScale()->gradient().color(range.upper, range));
    QVERIFY(low.blue() > low.red());
    QVERIFY(high.red() > high.blue());

    // Layer 5 alone has no negative value: viridis.
    selection.setLayer(1);
    QVERIFY(!view.isDiverging());
    QCOMPARE(view.colorScale()->dataRange().lower, 0.3f);
    QCOMPARE(view.colorScale()->dataRange().upper, 0.6f);
  }

  void sameRangeToggleUsesAllLayers() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    selection.setLayer(1);
    QCOMPARE(view.colorScale()->dataRange().lower, 0.3f);
    view.sameRangeToggle()->setChecked(true);
    QVERIFY(view.sameRangeForAllLayers());
    QCOMPARE(view.colorScale()->dataRange().lower, -0.1f);
    QCOMPARE(view.colorScale()->dataRange().upper, 0.6f);
    QVERIFY(view.isDiverging());  // the shared range holds a negative value
    selection.setLayer(0);
    QCOMPARE(view.colorScale()->dataRange().lower, -0.1f);
    QCOMPARE(view.colorScale()->dataRange().upper, 0.6f);
    view.sameRangeToggle()->setChecked(false);
    QCOMPARE(view.colorScale()->dataRange().upper, 0.4f);
  }

  void clickSelectsTheExpertPair() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.resize(640, 520);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    view.replot();
    QCOMPARE(selection.expertPair(), qMakePair(-1, -1));
    QSignalSpy spy(&selection, &SelectionModel::expertPairChanged);
    const QPoint pos = view.cellCenter(0, 2);
    QCOMPARE(view.cellAt(pos), std::make_optional(std::make_pair(0, 2)));
    QTest::mouseClick(&view, Qt::LeftButton, {}, pos);
    QCOMPARE(selection.expertPair(), qMakePair(0, 2));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toInt(), 0);
    QCOMPARE(spy.first().at(1).toInt(), 2);
    // The "F" label of the reference is on both axes.
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(view.xAxis->ticker());
    QCOMPARE(ticker->ticks().value(2), QStringLiteral("F"));
    QCOMPARE(ticker->ticks().value(0), QStringLiteral("E0"));
    QVERIFY(!SimilarityHeatmapView::explanation().isEmpty());
  }

  void emptyViewsSayWhatWillAppear() {
    SelectionModel selection;
    SimilarityHeatmapView heatmap(&selection);
    DiversityCurvesView curves(&selection);
    QCOMPARE(heatmap.matrixSize(), 0);
    QVERIFY(std::isnan(heatmap.cellValue(0, 0)));
    QCOMPARE(curves.graph(kUp), nullptr);
  }

  void diversityClickSelectsTheLayer() {
    SelectionModel selection;
    DiversityCurvesView view(&selection);
    view.resize(640, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withCurves(sampleCurves()));
    view.replot();
    QVERIFY(view.graph(kUp));
    QVERIFY(view.graph(kGate));
    QCOMPARE(view.graph(kUp)->dataCount(), 3);
    QCOMPARE(view.legend->itemCount(), 2);
    QCOMPARE(view.layerMarker()->point1->key(), 0.0);

    const auto pixel = view.pointPixel(kUp, 2);
    QVERIFY(pixel);
    QVERIFY(!view.pointPixel(kGate, 1));  // NaN: not drawn
    QTest::mouseClick(&view, Qt::LeftButton, {}, *pixel);
    QCOMPARE(selection.layer(), 2);
    QCOMPARE(view.layerMarker()->point1->key(), 2.0);
    // Far from every point: nothing happens.
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.axisRect()->rect().topLeft() + QPoint(3, 3));
    QCOMPARE(selection.layer(), 2);
  }

  void resultsLoadingReturnsTheFileValues() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("run.h5"));
    writeSampleResults(path.toStdString());

    const view_data::LoadedResults loaded = view_data::loadResults(path);
    QCOMPARE(loaded.data.routing.tokens, (QStringList{QStringLiteral("▁Hello"), QStringLiteral("東京")}));
    QCOMPARE(loaded.data.routing.token_ids, (QVector<int>{15043, 31000}));
    QCOMPARE(loaded.data.routing.experts, 2);
    QCOMPARE(loaded.data.routing.top_k, 1);
    QCOMPARE(loaded.data.routing.layerCount(), 1);
    const LayerRoutingData& layer = loaded.data.routing.layers[0];
    QCOMPARE(layer.layer, 1);
    QVERIFY(layer.isConsistent());
    QCOMPARE(layer.gate_scores, (QVector<float>{0.75f, 0.25f, 0.125f, 0.875f}));
    QCOMPARE(layer.topk_ids, (QVector<int>{0, 1}));
    QCOMPARE(layer.topk_weights, (QVector<float>{1.0f, 1.0f}));

    QCOMPARE(loaded.data.analyses.size(), 1);
    QCOMPARE(loaded.data.analyses[0].layer, 1);
    QCOMPARE(loaded.data.analyses[0].matrices.keys(), QStringList{kUp});
    const SimilarityMatrix& m = loaded.data.analyses[0].matrices[kUp];
    QCOMPARE(m.size, 3);
    QCOMPARE(m.labels, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")}));
    QCOMPARE(m.values, (QVector<float>{1.0f, 0.125f, -0.25f, 0.125f, 1.0f, 0.5f, -0.25f, 0.5f, 1.0f}));
    QCOMPARE(loaded.data.layers(), QVector<int>{1});

    QCOMPARE(loaded.data.diversity.layers, QVector<int>{1});
    QCOMPARE(loaded.data.diversity.curves.keys(), QStringList{kUp});
    QCOMPARE(loaded.data.diversity.curves[kUp], QVector<float>{0.1875f});
    QCOMPARE(loaded.title, QStringLiteral("tiny-moe"));
  }

  void resultsLoadingReadsOnlyTheAskedLayers() {
    namespace layout = results::layout;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two.h5"));
    {
      results::RunMetadata meta;
      meta.layers = 4;
      meta.experts = 2;
      meta.top_k = 1;
      results::ResultsWriter writer = results::ResultsWriter::create(path.toStdString(), meta);
      writer.writeStrings(layout::kTokenText, {"a", "b"});
      // Layer 1 routes both tokens to E0, layer 3 to E1; each layer has its own similarity.
      for (const int layer : {1, 3}) {
        const int64_t expert = layer == 1 ? 0 : 1;
        writer.writeInt(layout::layerPath(layer, layout::ds::kTopkIds), IndexArray({2, 1}, {expert, expert}));
        writer.writeFloat(layout::layerPath(layer, layout::ds::kTopkWeights), FloatArray({2, 1}, {1.0f, 1.0f}));
        const float s = layer == 1 ? 0.25f : 0.75f;
        writer.writeFloat(layout::layerPath(layer, layout::ds::kWeightsSimilarity, layout::Projection::Up),
                          FloatArray({2, 2}, {1.0f, s, s, 1.0f}));
      }
      writer.writeInt(layout::kSummaryLayers, IndexArray({2}, {1, 3}));
      writer.writeFloat(layout::diversityPath(layout::ds::kWeightsSimilarity, layout::Projection::Up),
                        FloatArray({2}, {0.25f, 0.75f}));
      writer.finish();
    }

    // Only layer 3: layer 1 keeps its place and number, and nothing else.
    const view_data::LoadedResults one = view_data::loadResults(path, view_data::LayerFilter::only(3));
    QCOMPARE(one.data.layers(), (QVector<int>{1, 3}));
    QCOMPARE(one.data.routing.layerCount(), 2);
    QCOMPARE(one.data.routing.layers[0].layer, 1);
    QVERIFY(one.data.routing.layers[0].topk_ids.isEmpty());
    QVERIFY(one.data.analyses[0].matrices.isEmpty());
    QCOMPARE(one.data.pca.size(), 2);
    QCOMPARE(one.data.routing.layers[1].layer, 3);
    QCOMPARE(one.data.routing.layers[1].topk_ids, (QVector<int>{1, 1}));
    QCOMPARE(one.data.analyses[1].matrices[kUp].values, (QVector<float>{1.0f, 0.75f, 0.75f, 1.0f}));
    QCOMPARE(one.data.routing.tokens, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // The run's summary is read whatever the layers.
    const view_data::LoadedResults none = view_data::loadResults(path, view_data::LayerFilter::none());
    QVERIFY(none.data.routing.layers[0].topk_ids.isEmpty() && none.data.routing.layers[1].topk_ids.isEmpty());
    QCOMPARE(none.data.diversity.layers, (QVector<int>{1, 3}));
    QCOMPARE(none.data.diversity.curves[kUp], (QVector<float>{0.25f, 0.75f}));
    // All layers, as the window reads them.
    const view_data::LoadedResults all = view_data::loadResults(path);
    QCOMPARE(all.data.routing.layers[0].topk_ids, (QVector<int>{0, 0}));
    QCOMPARE(all.data.analyses[0].matrices[kUp].values, (QVector<float>{1.0f, 0.25f, 0.25f, 1.0f}));
  }

  // A shard has no summary over layers; its layers' completion records give the curves and the
  // gate regression (with its mean over layers worked out here: (0.5 + 0.25) / 2).
  void curvesOfAShardComeFromItsLayerRecords() {
    namespace layout = results::layout;
    namespace record = layout::record;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shard.h5"));
    {
      results::RunMetadata meta;
      meta.layers = 4;
      meta.experts = 2;
      meta.top_k = 1;
      results::ResultsWriter writer = results::ResultsWriter::create(path.toStdString(), meta);
      writer.writeStrings(layout::kTokenText, {"a", "b"});
      const std::string gate = layout::diversityPath(layout::ds::kGateEmbeddingSimilarity);
      for (const int layer : {1, 3}) {
        writer.writeInt(layout::layerPath(layer, layout::ds::kTopkIds), IndexArray({2, 1}, {0, 1}));
        writer.writeFloat(layout::layerPath(layer, layout::ds::kTopkWeights), FloatArray({2, 1}, {1.0f, 1.0f}));
        const double up = layer == 1 ? 0.25 : 0.75;
        const double gate_value = layer == 1 ? std::nan("") : 0.5;
        const std::string group = layout::layerGroup(layer);
        writer.setAttribute(group, record::kDiversityMeasures,
                            AttributeValue(std::vector<std::string>{layout::diversityPath(layout::ds::kWeightsSimilarity, layout::Projection::Up), gate}));
        writer.setAttribute(group, record::kDiversityValues, AttributeValue(std::vector<double>{up, gate_value}));
        const double r2 = layer == 1 ? 0.5 : 0.25;
        writer.setAttribute(group, record::kGateRegression, AttributeValue(std::vector<double>{0.1, 0.01, 0.9, r2, 0.2, 0.04}));
        writer.setAttribute(group, record::kComplete, int64_t{1});
      }
      writer.finish();
    }
    const view_data::LoadedResults loaded = view_data::loadResults(path);
    QCOMPARE(loaded.data.diversity.layers, (QVector<int>{1, 3}));
    QCOMPARE(loaded.data.diversity.curves[kUp], (QVector<float>{0.25f, 0.75f}));
    const QVector<float> gate = loaded.data.diversity.curves[QStringLiteral("gate_embedding_similarity")];
    QCOMPARE(gate.size(), 2);
    QVERIFY(std::isnan(gate[0]));
    QCOMPARE(gate[1], 0.5f);
    const widgets::GateRegression& fit = loaded.data.diversity.gate_regression;
    QCOMPARE(fit.layers, (QVector<int>{1, 3}));
    QCOMPARE(fit.r2, (QVector<float>{0.01f, 0.5f, 0.04f, 0.01f, 0.25f, 0.04f}));
    QCOMPARE(fit.mean_r2[1], 0.375);
  }

  // A folder without a tokenizer opens; its prompt takes token ids as --ids does, and anything
  // else is one clear error.
  void aModelWithoutTokenizerTakesTokenIds() {
    QTemporaryDir dir;
    const test::TinySpec spec = test::tinyFamilySpec(checkpoint::Family::Mixtral);
    test::writeTinyModel(dir.path().toStdString(), spec);
    gui::AnalysisWorker worker;
    QSignalSpy opened(&worker, &gui::AnalysisWorker::modelOpened);
    QSignalSpy analysed(&worker, &gui::AnalysisWorker::analysed);
    QSignalSpy failed(&worker, &gui::AnalysisWorker::failed);
    worker.openModel(dir.path(), std::make_shared<CancelToken>());
    QCOMPARE(opened.count(), 1);
    const auto model = opened.first().at(0).value<gui::OpenedModel>();
    QVERIFY(!model.has_tokenizer);
    bool described = false;
    for (const auto& row : model.rows)
      if (row.first == QStringLiteral("Tokenizer")) described = row.second.startsWith(QStringLiteral("none (type token ids)"));
    QVERIFY(described);

    gui::AnalysisRequest request;
    request.text = QStringLiteral(" 1, 7,3 ");
    request.device = torch_support::DevicePreference::Cpu;
    worker.analyze(request);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(analysed.count(), 1);
    const auto results = analysed.first().at(0).value<view_data::LoadedResults>();
    QCOMPARE(results.data.routing.token_ids, (QVector<int>{1, 7, 3}));
    QCOMPARE(results.data.routing.layerCount(), int(spec.layers));

    request.text = QStringLiteral("hello");
    worker.analyze(request);
    QCOMPARE(failed.count(), 1);
    const QString message = failed.first().at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("no tokenizer")) && message.contains(QStringLiteral("\"hello\" is not a token id")),
             qPrintable(message));
  }

  // The 2026 families open and analyse in the explorer as they do in the CLI: gpt-oss with
  // MXFP4 experts, Llama 4 as Meta's multimodal folder (text model under language_model.).
  void newFamiliesOpenAndAnalyse_data() {
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("familyRow");
    QTest::newRow("gpt-oss") << int(checkpoint::Family::GptOss) << QStringLiteral("gpt_oss (GptOssForCausalLM)");
    QTest::newRow("llama 4") << int(checkpoint::Family::Llama4)
                             << QStringLiteral("llama4 (Llama4ForConditionalGeneration)");
  }

  void newFamiliesOpenAndAnalyse() {
    QFETCH(int, family);
    QFETCH(QString, familyRow);
    QTemporaryDir dir;
    test::TinySpec spec = test::tinyFamilySpec(static_cast<checkpoint::Family>(family));
    if (spec.family == checkpoint::Family::GptOss) spec.expert_layout = test::TinyExpertLayout::Mxfp4;
    if (spec.family == checkpoint::Family::Llama4) spec.llama4_folder = "meta";
    test::writeTinyModel(dir.path().toStdString(), spec);
    gui::AnalysisWorker worker;
    QSignalSpy opened(&worker, &gui::AnalysisWorker::modelOpened);
    QSignalSpy analysed(&worker, &gui::AnalysisWorker::analysed);
    QSignalSpy failed(&worker, &gui::AnalysisWorker::failed);
    worker.openModel(dir.path(), std::make_shared<CancelToken>());
    QCOMPARE(failed.count(), 0);
    QCOMPARE(opened.count(), 1);
    const auto model = opened.first().at(0).value<gui::OpenedModel>();
    bool named = false;
    for (const auto& row : model.rows)
      if (row.first == QStringLiteral("Family")) named = row.second == familyRow;
    QVERIFY(named);
    gui::AnalysisRequest request;
    request.text = QStringLiteral("1, 7, 3, 9, 2");
    request.device = torch_support::DevicePreference::Cpu;
    worker.analyze(request);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(analysed.count(), 1);
    const auto results = analysed.first().at(0).value<view_data::LoadedResults>();
    QCOMPARE(results.data.routing.tokenCount(), 5);
    QCOMPARE(results.data.routing.layerCount(), int(spec.layers));
  }

  void workerOpensResultsWithoutAModel() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.h5"));
    writeSampleResults(path.toStdString());
    gui::AnalysisWorker worker;
    QSignalSpy opened(&worker, &gui::AnalysisWorker::resultsOpened);
    QSignalSpy failed(&worker, &gui::AnalysisWorker::failed);
    worker.openResults(path);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(opened.first().at(0).value<view_data::LoadedResults>().data.routing.tokenCount(), 2);

    worker.openResults(dir.filePath(QStringLiteral("missing.h5")));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(opened.count(), 1);
  }

  // Switching from a measure over the routed experts to one that adds the shared expert ("SE",
  // one row and column more) shows the whole larger matrix: SE was left outside the view.
  void switchingToAMeasureWithTheSharedExpertShowsIt() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.resize(600, 500);
    LayerAnalyses layer;
    layer.layer = 1;
    SimilarityMatrix routed;
    routed.size = 2;
    routed.labels = {QStringLiteral("0"), QStringLiteral("1")};
    routed.values = {1.0f, 0.5f, 0.5f, 1.0f};
    SimilarityMatrix with_shared;
    with_shared.size = 3;
    with_shared.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("SE")};
    with_shared.values = {1.0f, 0.5f, 0.25f, 0.5f, 1.0f, 0.75f, 0.25f, 0.75f, 1.0f};
    layer.matrices.insert(kUp, routed);
    layer.matrices.insert(QStringLiteral("neuron_mean_similarity/up"), with_shared);
    view.setCurrentMeasure(kUp);
    view.setRunData(test::withAnalyses({layer}));
    view.setCurrentMeasure(kUp);
    QCOMPARE(view.matrixSize(), 2);
    view.setCurrentMeasure(QStringLiteral("neuron_mean_similarity/up"));
    QCOMPARE(view.matrixSize(), 3);
    // Index 2 (SE) lies inside both axes' ranges.
    QVERIFY2(view.xAxis->range().contains(2.0) && view.yAxis->range().contains(2.0),
             qPrintable(QStringLiteral("x %1..%2").arg(view.xAxis->range().lower).arg(view.xAxis->range().upper)));
  }

  // Kendall's tau is drawn on its whole scale [-1, 1] whatever the layer's values (0.2..0.4).
  void kendallTauUsesItsWholeScale() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    LayerAnalyses layer;
    layer.layer = 1;
    const SimilarityMatrix tau = test::symmetricMatrix(3, {0.2f, 0.4f, 0.3f});
    const QString key = QStringLiteral("neuron_reorder_kendall_tau/up");
    layer.matrices.insert(key, tau);
    layer.matrices.insert(kUp, tau);
    view.setRunData(test::withAnalyses({layer}));
    view.setCurrentMeasure(key);
    QCOMPARE(view.colorScale()->dataRange().lower, -1.0);
    QCOMPARE(view.colorScale()->dataRange().upper, 1.0);
    // A similarity keeps its auto range over the off-diagonal values.
    view.setCurrentMeasure(kUp);
    QCOMPARE(view.colorScale()->dataRange().lower, double(0.2f));
    QCOMPARE(view.colorScale()->dataRange().upper, double(0.4f));
  }

  // Fixed colour ranges: values beyond them are marked by side, the diagonal is never marked and
  // has its own grey, and the automatic range clips nothing. Off-diagonal values: 1.3 (E0-E1),
  // -0.2 (E0-E2), 0.5 (E1-E2).
  void fixedColourRangesMarkWhatTheyClip() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    LayerAnalyses layer;
    layer.layer = 2;
    layer.matrices.insert(kUp, test::symmetricMatrix(3, {1.3f, -0.2f, 0.5f}));
    view.setRunData(test::withAnalyses({layer}));
    using Cells = QList<QPair<int, int>>;
    const Cells high = {{0, 1}, {1, 0}}, low = {{0, 2}, {2, 0}};

    QCOMPARE(view.shownRange(), QCPRange(double(-0.2f), double(1.3f)));
    QVERIFY(view.clippedCells(1).isEmpty() && view.clippedCells(-1).isEmpty());
    // The diagonal: grey cells on it, nothing elsewhere.
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(std::isnan(view.diagonalMap()->data()->cell(c, r)), r != c);
    QVERIFY(view.diagonalMap()->visible());

    view.setColourRange(ColourRange::parse(QStringLiteral("0,1"), nullptr).value());
    QCOMPARE(view.colourRange().mode, ColourRange::Mode::ZeroToOne);
    QCOMPARE(view.shownRange(), QCPRange(0.0, 1.0));
    QVERIFY(!view.isDiverging());
    QCOMPARE(view.clippedCells(1), high);
    QCOMPARE(view.clippedCells(-1), low);
    QVERIFY(!view.sameRangeToggle()->isEnabled());
    QVERIFY(view.cellToolTip(0, 1).contains(QStringLiteral("above the colour range")));
    QVERIFY(view.cellToolTip(1, 1).contains(QStringLiteral("itself")));

    view.setColourRange(ColourRange{ColourRange::Mode::MinusOneToOne});
    QCOMPARE(view.shownRange(), QCPRange(-1.0, 1.0));
    QVERIFY(view.isDiverging());
    QCOMPARE(view.clippedCells(1), high);
    QVERIFY(view.clippedCells(-1).isEmpty());

    // Typed limits: 0.5 inside [0.4, 0.6]; the diagonal's 1 is above, yet not marked.
    view.setColourRange(ColourRange::typed(0.4, 0.6));
    QCOMPARE(view.shownRange(), QCPRange(0.4, 0.6));
    QCOMPARE(view.clippedCells(1), high);
    QCOMPARE(view.clippedCells(-1), low);
    view.setColourRange(ColourRange::typed(0.6, 2.0));
    QCOMPARE(view.clippedCells(1), Cells{});
    QCOMPARE(view.clippedCells(-1), (Cells{{0, 2}, {1, 2}, {2, 0}, {2, 1}}));

    view.setColourRange(ColourRange{});
    QVERIFY(view.clippedCells(1).isEmpty() && view.clippedCells(-1).isEmpty());
    QVERIFY(view.sameRangeToggle()->isEnabled());
  }

  void colourRangesParseTheirWrittenForms() {
    QString problem;
    QCOMPARE(ColourRange::parse(QStringLiteral("auto"), &problem)->mode, ColourRange::Mode::Automatic);
    QCOMPARE(ColourRange::parse(QStringLiteral("0,1"), &problem)->mode, ColourRange::Mode::ZeroToOne);
    QCOMPARE(ColourRange::parse(QStringLiteral(" -1 , 1 "), &problem)->mode, ColourRange::Mode::MinusOneToOne);
    const auto typed = ColourRange::parse(QStringLiteral("0.25,0.75"), &problem);
    QVERIFY(typed && typed->mode == ColourRange::Mode::Typed);
    QCOMPARE(typed->fixedLower(), 0.25);
    QCOMPARE(typed->fixedUpper(), 0.75);
    for (const char* bad : {"1,0", "0.5,0.5", "a,b", "0", "0,1,2", "nan,1", "0,inf", ""}) {
      problem.clear();
      QVERIFY2(!ColourRange::parse(QString::fromLatin1(bad), &problem), bad);
      QVERIFY2(!problem.isEmpty(), bad);
    }
    ColourRange::parse(QStringLiteral("1,0"), &problem);
    QVERIFY(problem.contains(QStringLiteral("lower limit")));
  }

  // A measure keeps its colour and marker whatever other measures the run computed: the
  // weight similarity is second of two in one run and alone in the other.
  void diversityColoursBelongToTheMeasure() {
    SelectionModel selection;
    DiversityCurvesView both(&selection), alone(&selection);
    DiversityCurves two;
    two.layers = {3, 5};
    two.curves.insert(kGate, {0.1f, 0.2f});
    two.curves.insert(kUp, {0.3f, 0.4f});
    DiversityCurves one = two;
    one.curves.remove(kGate);
    both.setRunData(test::withCurves(two));
    alone.setRunData(test::withCurves(one));
    QCOMPARE(alone.graph(kUp)->pen().color(), both.graph(kUp)->pen().color());
    QCOMPARE(alone.graph(kUp)->scatterStyle().shape(), both.graph(kUp)->scatterStyle().shape());
    QVERIFY(both.graph(kUp)->pen().color() != both.graph(kGate)->pen().color());
  }

  // Layers are indices on the x axis: no solid line marks "layer 0" across an exported figure.
  // The grid line at the first layer is dotted like the others: about half its pixels grey
  // (a solid line would grey them all).
  void diversityHasNoSolidLineAtTheFirstLayer() {
    SelectionModel selection;
    selection.setLayer(-1);
    DiversityCurvesView view(&selection);
    DiversityCurves curves;
    curves.layers = {3, 5, 7, 9};
    curves.curves.insert(kUp, {0.9f, 0.9f, 0.9f, 0.9f});
    view.setRunData(test::withCurves(curves));
    view.resize(640, 420);
    view.replot(QCustomPlot::rpImmediateRefresh);
    const QImage image = view.toPixmap(640, 420).toImage();
    const QRect plot = view.axisRect()->rect();
    const int x0 = qRound(view.xAxis->coordToPixel(0));
    int most_grey = 0;
    for (int x = x0 - 1; x <= x0 + 1; ++x) {
      int grey = 0;
      // Below the curve's points (all at 0.9), where only grid lines can be.
      for (int y = plot.top() + plot.height() / 3; y < plot.bottom() - 2; ++y) {
        // Any neutral grey, however a line's edge is smoothed: not white, r = g = b.
        const QColor c = image.pixelColor(x, y);
        grey += c.red() == c.green() && c.green() == c.blue() && c.red() < 245;
      }
      most_grey = qMax(most_grey, grey);
    }
    const int rows = plot.bottom() - 2 - (plot.top() + plot.height() / 3);
    QVERIFY2(most_grey > 0, "no grid line at the first layer at all");
    QVERIFY2(most_grey < rows * 3 / 4, qPrintable(QStringLiteral("%1 of %2 pixels grey").arg(most_grey).arg(rows)));
  }

  void mainWindowOpensAResultsFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.h5"));
    writeSampleResults(path.toStdString());
    gui::MainWindow window;
    window.show();
    QSignalSpy idle(&window, &gui::MainWindow::idle);
    window.openResultsFile(path);
    QVERIFY(idle.wait(30'000));
    QVERIFY(!window.hasModel());
    QCOMPARE(window.routing().tokenCount(), 2);
    QCOMPARE(window.similarityView()->analyses().size(), 1);
    QCOMPARE(window.similarityView()->cellValue(0, 2), -0.25f);
    QVERIFY(window.similarityView()->isDiverging());
    QCOMPARE(window.diversityView()->curves().curves.value(kUp), QVector<float>{0.1875f});
    // What the window shows is what Export All draws: the file's run, not the views' copies.
    auto* actions = window.findChild<gui::ViewActions*>(QStringLiteral("ViewActions"));
    QVERIFY(actions);
    const RunData figures = actions->figureData();
    QCOMPARE(figures.layers(), QVector<int>{1});
    QCOMPARE(figures.routing.tokenCount(), 2);
    QCOMPARE(figures.analyses[0].matrices[kUp].values, (QVector<float>{1.0f, 0.125f, -0.25f, 0.125f, 1.0f, 0.5f, -0.25f, 0.5f, 1.0f}));
    QCOMPARE(figures.diversity.curves.value(kUp), QVector<float>{0.1875f});
    // Routing, similarity, diversity, statistics, norms vs scores, PCA, activations, token
    // outputs, gate-weight fit; the three comparison tabs stay hidden for one model's results.
    QCOMPARE(window.viewTabs()->count(), 12);
    int visible = 0;
    for (int tab = 0; tab < window.viewTabs()->count(); ++tab) visible += window.viewTabs()->isTabVisible(tab) ? 1 : 0;
    QCOMPARE(visible, 9);
    QVERIFY(window.windowTitle().contains(QStringLiteral("run.h5")));
  }
};

QTEST_MAIN(TestAnalysisViews)
#include "test_analysis_views.moc"
