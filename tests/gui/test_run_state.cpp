// What the window shows through a run's life, worked out by hand: a model opens clean, a run
// fills its bundle layer by layer, a cancelled run keeps its layers only when there is nothing
// older to go back to, a failed one goes back to the last complete analysis, and a finished one
// carries the output norms of its analyses into its routing.
#include <QtTest>
#include <cmath>

#include "app/gui/run_state.h"
#include "tests/support/gui/sample_run.h"

using namespace moescope;
using namespace moescope::widgets;

namespace {

RoutingData skeleton(const QStringList& tokens) {
  RoutingData routing;
  routing.tokens = tokens;
  routing.experts = 4;
  routing.top_k = 2;
  return routing;
}

view_data::LoadedLayer layerOf(const RoutingData& sample, int index, double diversity) {
  view_data::LoadedLayer layer;
  layer.routing = sample.layers[index];
  layer.analyses.layer = sample.layers[index].layer;
  layer.pca.layer = sample.layers[index].layer;
  layer.diversity.insert(QStringLiteral("weights_similarity/up"), diversity);
  return layer;
}

// A finished run whose routing has no output norms and whose analyses do (as the engine hands
// them): norms of 1..12 at layer 3, none at layer 5.
view_data::LoadedResults finishedRun() {
  view_data::LoadedResults results;
  results.title = QStringLiteral("tiny");
  results.data.routing = test::sampleRouting();
  for (LayerRoutingData& layer : results.data.routing.layers) layer.output_norms.clear();
  results.data.analyses = test::sampleAnalyses();
  for (int i = 0; i < 12; ++i) results.data.analyses[0].output_norms.append(float(i + 1));
  return results;
}

}  // namespace

class TestRunState : public QObject {
  Q_OBJECT

 private slots:
  void aModelOpensClean() {
    gui::RunState state;
    state.runFinished(finishedRun());
    QVERIFY(state.hasCommitted());
    gui::OpenedModel model;
    model.dir = QStringLiteral("/models/tiny");
    model.moe_layers = {1, 3, 5};
    state.openModel(model);
    QVERIFY(state.hasModel());
    QVERIFY(!state.hasCommitted());
    QVERIFY(state.shown().routing.isEmpty());
    QVERIFY(state.shown().analyses.isEmpty());
    QCOMPARE(state.committedLayers(), (QVector<int>{1, 3, 5}));
  }

  void aRunFillsItsBundleLayerByLayer() {
    const RoutingData sample = test::sampleRouting();
    gui::RunState state;
    state.runTokenized(skeleton(sample.tokens));
    QCOMPARE(state.shown().routing.tokens, sample.tokens);
    QCOMPARE(state.shown().routing.layerCount(), 0);
    state.runPlanned({3, 5});
    QCOMPARE(state.shown().diversity.layers, (QVector<int>{3, 5}));
    state.runLayer(layerOf(sample, 0, 0.25));
    QCOMPARE(state.shown().routing.layerCount(), 1);
    QCOMPARE(state.shown().routing.layers[0].topk_ids, sample.layers[0].topk_ids);
    QCOMPARE(state.shown().analyses.size(), qsizetype(1));
    QCOMPARE(state.shown().layers(), QVector<int>{3});
    const QVector<float> up = state.shown().diversity.curves.value(QStringLiteral("weights_similarity/up"));
    QCOMPARE(up.size(), qsizetype(2));
    QCOMPARE(up[0], 0.25f);
    QVERIFY(std::isnan(up[1]));
  }

  void aCancelledFirstRunKeepsItsLayers() {
    const RoutingData sample = test::sampleRouting();
    gui::RunState state;
    state.runTokenized(skeleton(sample.tokens));
    state.runPlanned({3, 5});
    state.runLayer(layerOf(sample, 0, 0.25));
    state.runEnded(true);
    QCOMPARE(state.shown().layers(), QVector<int>{3});
    QVERIFY(!state.hasCommitted());
  }

  void aFinishedRunCarriesItsOutputNormsIntoRouting() {
    gui::RunState state;
    state.runFinished(finishedRun());
    const RoutingData& routing = state.shown().routing;
    QCOMPARE(routing.layers[0].output_norms.size(), qsizetype(12));
    QCOMPARE(routing.layers[0].outputNorm(1, 2), 7.0f);  // token 1, expert 2: entry 1*4+2 = 6 -> 7
    QVERIFY(routing.layers[1].output_norms.isEmpty());  // layer 5's analyses have none
    QCOMPARE(state.committed().data.routing.layers[0].outputNorm(2, 3), 12.0f);
    QCOMPARE(state.committedLayers(), (QVector<int>{3, 5}));
  }

  void aFailedOrCancelledRunGoesBackToTheLastCompleteOne() {
    const RoutingData sample = test::sampleRouting();
    for (const bool cancelled : {false, true}) {
      gui::RunState state;
      state.runFinished(finishedRun());
      state.runTokenized(skeleton({QStringLiteral("other"), QStringLiteral("text")}));
      state.runPlanned({3, 5});
      state.runLayer(layerOf(sample, 0, 0.5));
      QCOMPARE(state.shown().routing.tokens.size(), qsizetype(2));
      state.runEnded(cancelled);
      QCOMPARE(state.shown().routing.tokens, sample.tokens);
      QCOMPARE(state.shown().layers(), (QVector<int>{3, 5}));
      QCOMPARE(state.shown().analyses[0].output_norms.size(), qsizetype(12));
    }
  }

  void aResultsFileReplacesTheModel() {
    gui::RunState state;
    gui::OpenedModel model;
    model.dir = QStringLiteral("/models/tiny");
    state.openModel(model);
    state.openResults(finishedRun());
    QVERIFY(!state.hasModel());
    QVERIFY(state.hasCommitted());
    QCOMPARE(state.shown().layers(), (QVector<int>{3, 5}));
  }
};

QTEST_MAIN(TestRunState)
#include "test_run_state.moc"
