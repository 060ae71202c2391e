// The activation heatmap (D4) against planted slices: values per cell, the chosen experts
// marked from the routing, token and layer changes, the strongest neurons of a wide expert, and
// the sources: a results file read a token at a time, and the live layers held in memory.
#include <QApplication>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "app/view_data/token_slice_sources.h"
#include "app/view_data/results_loading.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/gui/sample_run.h"
#include "widgets/activation_heatmap_view.h"
#include "widgets/routing_data.h"
#include "widgets/selection_model.h"

using namespace moescope;
using namespace moescope::widgets;
namespace layout = results::layout;

namespace {

// act(row, neuron, token) = (row + 1) * 10 + neuron + token / 2, negated for neuron 1: easy to
// check in any cell.
float planted(int row, int neuron, int token) {
  const float v = float((row + 1) * 10 + neuron) + 0.5f * float(token);
  return neuron == 1 ? -v : v;
}

class PlantedActivations : public TokenSliceSource {
 public:
  PlantedActivations(int neurons, int tokens) : neurons_(neurons), tokens_(tokens) {}
  bool hasLayer(int layer_index) const override { return layer_index == 0; }
  TokenSlice slice(int layer_index, int token) const override {
    if (!hasLayer(layer_index) || token < 0 || token >= tokens_) return {};
    TokenSlice s;
    s.layer = 6;
    s.token = token;
    s.rows = 3;
    s.columns = neurons_;
    s.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")};
    for (int r = 0; r < 3; ++r)
      for (int n = 0; n < neurons_; ++n) s.values.append(planted(r, n, token));
    return s;
  }

 private:
  int neurons_;
  int tokens_;
};

// Token 0 chose E0, token 1 chose E1 (two experts, top-1), at decoder layer 6.
RoutingData routing() {
  RoutingData data;
  data.tokens = {QStringLiteral("A"), QStringLiteral("B")};
  data.token_ids = {10, 11};
  data.experts = 2;
  data.top_k = 1;
  LayerRoutingData layer;
  layer.layer = 6;
  layer.experts = 2;
  layer.top_k = 1;
  layer.topk_ids = {0, 1};
  layer.topk_weights = {1.0f, 1.0f};
  layer.gate_scores = {0.7f, 0.3f, 0.4f, 0.6f};
  data.layers = {layer};
  return data;
}

results::RunMetadata metadata() {
  results::RunMetadata meta;
  meta.model = "/models/planted";
  meta.family = "mixtral";
  meta.layers = 8;
  meta.experts = 2;
  meta.top_k = 1;
  meta.dtype = "float32";
  meta.device = "cpu";
  return meta;
}

}  // namespace

class TestActivationView : public QObject {
  Q_OBJECT

 private slots:
  void showsTheSelectedTokensActivations() {
    SelectionModel selection;
    ActivationHeatmapView view(&selection);
    view.resize(700, 400);
    RunData data = test::withRouting(routing());
    data.activations = std::make_shared<PlantedActivations>(4, 2);
    view.setRunData(data);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.shownNeurons(), (QVector<int>{0, 1, 2, 3}));
    for (int r = 0; r < 3; ++r)
      for (int n = 0; n < 4; ++n) QCOMPARE(view.cellValue(r, n), double(planted(r, n, 0)));
    QVERIFY(view.isChosenRow(0));
    QVERIFY(!view.isChosenRow(1));
    QVERIFY(!view.isChosenRow(2));  // F is never a chosen expert
    // Another token: its values and its chosen expert.
    selection.setToken(1);
    QCOMPARE(view.cellValue(2, 3), double(planted(2, 3, 1)));
    QCOMPARE(view.cellValue(1, 1), double(planted(1, 1, 1)));
    QVERIFY(view.isChosenRow(1));
    QVERIFY(!view.isChosenRow(0));
    // Clicking a row selects its expert; the F row has none.
    view.replot();
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.cellCenter(0, 2));
    QCOMPARE(selection.expert(), 0);
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.cellCenter(2, 2));
    QCOMPARE(selection.expert(), 0);
    // A layer without activations shows nothing, and says why.
    selection.setLayer(1);
    QCOMPARE(view.shownNeurons().size(), qsizetype(0));
    QVERIFY(std::isnan(view.cellValue(0, 0)));
    QVERIFY(view.tableData().isEmpty());
    selection.setLayer(0);
    QCOMPARE(view.tableData().rows.size(), 3);
  }

  // 1000 neurons: |act| grows with the neuron index (row 2's values dominate), so the 256
  // strongest are neurons 744..999, shown in neuron order.
  // The diverging scale is symmetric about 0: token 0's planted values run from -31 (row 2,
  // neuron 1) to 33 (row 2, neuron 3), so the scale spans -33..33, white at 0.
  void theScaleIsSymmetricAboutZero() {
    SelectionModel selection;
    ActivationHeatmapView view(&selection);
    view.resize(700, 400);
    RunData data = test::withRouting(routing());
    data.activations = std::make_shared<PlantedActivations>(4, 2);
    view.setRunData(data);
    selection.setLayer(0);
    selection.setToken(0);
    view.refresh();
    QCOMPARE(view.colorScale()->dataRange().lower, -33.0);
    QCOMPARE(view.colorScale()->dataRange().upper, 33.0);
  }

  void wideExpertsShowTheirStrongestNeurons() {
    SelectionModel selection;
    ActivationHeatmapView view(&selection);
    view.resize(700, 400);
    RunData data;
    data.activations = std::make_shared<PlantedActivations>(1000, 1);
    view.setRunData(data);
    QCOMPARE(view.shownNeurons().size(), qsizetype(ActivationHeatmapView::kShownNeurons));
    QCOMPARE(view.shownNeurons().first(), 1000 - ActivationHeatmapView::kShownNeurons);
    QCOMPARE(view.shownNeurons().last(), 999);
    QCOMPARE(view.cellValue(1, 0), double(planted(1, 744, 0)));
  }

  void noSourceIsNoCrash() {
    SelectionModel selection;
    ActivationHeatmapView view(&selection);
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.shownNeurons().size(), qsizetype(0));
    view.setRunData(RunData());
    selection.setToken(5);
    QVERIFY(std::isnan(view.cellValue(0, 0)));
  }

  // [T=3, E'=3, I=5] stored: a token's slice is its row, read alone; a 2-D "activations" is no
  // layer with activations; loadResults hands out the file's source.
  void readsOneTokenFromTheResultsFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("act.h5")).toStdString();
    {
      auto writer = results::ResultsWriter::create(path, metadata());
      writer.writeInt(layout::kTokenIds, IndexArray({3}, {4, 5, 6}));
      FloatArray act({3, 3, 5});
      for (int t = 0; t < 3; ++t)
        for (int r = 0; r < 3; ++r)
          for (int n = 0; n < 5; ++n) act.values[size_t((t * 3 + r) * 5 + n)] = planted(r, n, t);
      act.labels = {"0", "1", "F"};
      writer.writeFloat(layout::layerPath(3, layout::ds::kActivations), act);
      writer.writeFloat(layout::layerPath(7, layout::ds::kActivations), FloatArray({2, 2}, {1, 2, 3, 4}));
      writer.finish();
    }
    const auto reader = std::make_shared<const results::ResultsReader>(results::ResultsReader::open(path));
    const view_data::FileTokenSlices source(reader, {3, 7}, "activations");
    QVERIFY(source.hasLayer(0));
    QVERIFY(!source.hasLayer(1));
    const TokenSlice slice = source.slice(0, 2);
    QVERIFY(slice.isConsistent());
    QCOMPARE(slice.layer, 3);
    QCOMPARE(slice.rows, 3);
    QCOMPARE(slice.columns, 5);
    QCOMPARE(slice.labels, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")}));
    for (int r = 0; r < 3; ++r)
      for (int n = 0; n < 5; ++n) QCOMPARE(slice.at(r, n), planted(r, n, 2));
    QVERIFY(!source.slice(0, 3).isConsistent());  // past the last token
    QVERIFY(!source.slice(1, 0).isConsistent());

    const view_data::LoadedResults loaded = view_data::loadResults(QString::fromStdString(path));
    QVERIFY(loaded.data.activations);
    QCOMPARE(loaded.data.activations->slice(0, 1).at(2, 4), planted(2, 4, 1));
  }

  void liveLayersServeSlicesFromMemory() {
    view_data::MemoryTokenSlices source;
    view_data::LayerTokenSlices layer;
    layer.layer = 6;
    layer.tokens = 2;
    layer.rows = 3;
    layer.columns = 4;
    layer.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")};
    for (int t = 0; t < 2; ++t)
      for (int r = 0; r < 3; ++r)
        for (int n = 0; n < 4; ++n) layer.values.append(planted(r, n, t));
    source.append(view_data::LayerTokenSlices{});  // a layer too large to hold
    source.append(layer);
    QVERIFY(!source.hasLayer(0));
    QVERIFY(source.hasLayer(1));
    const TokenSlice slice = source.slice(1, 1);
    QCOMPARE(slice.layer, 6);
    QCOMPARE(slice.at(1, 3), planted(1, 3, 1));
    QVERIFY(!source.slice(1, 2).isConsistent());
  }
};

QTEST_MAIN(TestActivationView)
#include "test_activation_view.moc"
