// The real window, worker thread and demo model: one Analyze runs the model once, and the views
// show each layer as soon as its signal arrives, before the run has finished; layers not yet
// computed are veiled as pending; what the views showed live is what the results file holds;
// a cancelled run puts the previous results back.
#include <QApplication>
#include <QMessageBox>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <QtTest>
#include <cmath>

#include "app/gui/analysis_worker.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/test_support.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/gate_score_chart.h"
#include "widgets/output_similarity_grid_view.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/pending_layers.h"
#include "widgets/pending_overlay.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_inspector.h"

using namespace moescope;
using moescope::gui::MainWindow;

namespace {

constexpr int kDemoTimeoutMs = 300'000;  // the first run writes the demo model

void openDemo(MainWindow& window) {
  QSignalSpy idle(&window, &MainWindow::idle);
  window.promptPanel()->setText(QStringLiteral("As an open source alternative to"));
  window.openDemoModel(false);
  QVERIFY(idle.wait(kDemoTimeoutMs));
  QVERIFY(window.hasModel());
}

// What the views showed when the first layer's signal had just been handled.
struct FirstLayerView {
  bool seen = false;
  bool busy = false;
  int routed_layers = -1;
  int analysed_layers = -1;
  int pca_layers = -1;
  int count = 0;
  bool heatmap_matches = false;
  bool matrices_match = false;
  bool scores_match = false;
  bool first_pending = true;
  bool second_pending = false;
  bool last_veiled = false;
  QString veil_message;
  bool unveiled_again = false;
  // The diversity curve drawn while only layer 0 had arrived.
  QMap<QString, QVector<float>> curves;
  widgets::LayerRoutingData routing;
  QMap<QString, widgets::SimilarityMatrix> matrices;
  // The per-token output cosines the token-outputs grid showed: layers, tokens, panel (0, 0).
  QVector<int> grid_layers, grid_tokens;
  widgets::TokenSlice grid_first;
};

}  // namespace

class TestLiveUpdates : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test-live"));
  }

  void viewsFillInLayerByLayerBeforeTheRunEnds() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    openDemo(window);
    window.viewTabs()->setCurrentWidget(window.routingHeatmap());
    window.selection()->setLayer(0);
    window.selection()->setToken(1);

    FirstLayerView first;
    // Queued to the window's thread after the window's own handler of the same signal: this
    // runs right after the window showed layer 0 and before it handles anything later.
    connect(
        window.worker(), &gui::AnalysisWorker::layerAnalysed, &window,
        [&](const view_data::LoadedLayer& layer, int index, int count) {
          if (index != 0) return;
          first.seen = true;
          first.busy = window.isBusy();
          first.count = count;
          first.routed_layers = window.routing().layerCount();
          first.analysed_layers = int(window.similarityView()->analyses().size());
          first.pca_layers = int(window.pcaView()->layers().size());
          first.routing = layer.routing;
          first.curves = window.diversityView()->curves().curves;
          first.matrices = layer.analyses.matrices;
          auto* grid = window.findChild<widgets::OutputSimilarityGridView*>();
          grid->runHeldUpdates();
          first.grid_layers = grid->shownLayers();
          first.grid_tokens = grid->shownTokens();
          if (grid->panel(0, 0)) first.grid_first = grid->panel(0, 0)->slice;
          // The heatmap draws the arrived layer's mixing weights.
          bool heatmap = layer.routing.tokenCount() == window.routing().tokenCount() && layer.routing.tokenCount() > 0;
          for (int t = 0; t < layer.routing.tokenCount(); ++t)
            for (int e = 0; e < layer.routing.experts; ++e)
              heatmap &= float(window.routingHeatmap()->cellValue(e, t)) == layer.routing.mixingWeight(t, e);
          first.heatmap_matches = heatmap;
          // The similarity view holds the layer's matrices.
          first.matrices_match = !layer.analyses.matrices.isEmpty() && window.similarityView()->analyses().size() == 1 &&
                                 window.similarityView()->analyses()[0].matrices.keys() == layer.analyses.matrices.keys();
          // The token inspector's chart shows the selected token's gate scores at this layer.
          bool scores = true;
          for (int e = 0; e < layer.routing.experts; ++e)
            scores &= window.tokenInspector()->chart()->barValue(e) == double(layer.routing.gateScore(1, e));
          first.scores_match = scores;
          // Layer 0 is here; the others are pending, and a pending layer is veiled.
          widgets::PendingLayers* pending = window.pendingLayers();
          widgets::PendingOverlay* veil = pending->overlayOf(window.routingHeatmap());
          first.first_pending = pending->isPending(0) || !veil->isHidden();
          first.second_pending = pending->isPending(1);
          window.selection()->setLayer(count - 1);
          first.last_veiled = !veil->isHidden();
          first.veil_message = veil->message();
          if (const QByteArray dir = qgetenv("MOESCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
            window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/live-pending.png"));
          window.selection()->setLayer(0);
          first.unveiled_again = veil->isHidden();
        },
        Qt::QueuedConnection);

    QSignalSpy idle(&window, &MainWindow::idle);
    window.analyze();
    QVERIFY(idle.wait(120'000));
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    QVERIFY(first.seen);
    QVERIFY2(first.busy, "the first layer must reach the views while the run still goes on");
    QCOMPARE(first.count, 8);
    QCOMPARE(first.routed_layers, 1);
    QCOMPARE(first.analysed_layers, 1);
    QCOMPARE(first.pca_layers, 1);
    QVERIFY(first.heatmap_matches);
    QVERIFY(first.matrices_match);
    QVERIFY(first.scores_match);
    QVERIFY(!first.first_pending);
    QVERIFY(first.second_pending);
    QVERIFY(first.last_veiled);
    QVERIFY2(first.veil_message.contains(QStringLiteral("Layer 7")), qPrintable(first.veil_message));
    QVERIFY(first.unveiled_again);

    // Done: every layer, nothing pending, and layer 0 as it was shown live.
    QCOMPARE(window.routing().layerCount(), 8);
    QVERIFY(!window.pendingLayers()->isRunning());
    const widgets::LayerRoutingData& final_first = window.routing().layers[0];
    QCOMPARE(final_first.topk_ids, first.routing.topk_ids);
    QCOMPARE(final_first.topk_weights, first.routing.topk_weights);
    QCOMPARE(final_first.gate_scores, first.routing.gate_scores);
    // What the live similarity view showed is what the results file holds.
    const auto reader = results::ResultsReader::open(gui::AnalysisWorker::resultsCachePath().toStdString());
    for (auto it = first.matrices.cbegin(); it != first.matrices.cend(); ++it) {
      const auto stored = reader.readFloat(results::layout::layerPath(0, it.key().toStdString()));
      QCOMPARE(qsizetype(stored.values.size()), it->values.size());
      for (qsizetype i = 0; i < it->values.size(); ++i) QCOMPARE(it->values[i], stored.values[size_t(i)]);
    }
    // The token-outputs grid drew layer 0's cosines of the tokens around token 1 as they
    // arrived, the values the results file holds.
    QCOMPARE(first.grid_layers, QVector<int>{0});
    QCOMPARE(first.grid_tokens, (QVector<int>{0, 1, 2}));
    QVERIFY(first.grid_first.isConsistent());
    const auto cosines = reader.readFloatRows(results::layout::layerPath(0, results::layout::ds::kOutputSimilarity), 0, 1);
    QCOMPARE(qsizetype(cosines.values.size()), first.grid_first.values.size());
    for (qsizetype i = 0; i < first.grid_first.values.size(); ++i) QCOMPARE(first.grid_first.values[i], cosines.values[size_t(i)]);
    // The live diversity point of layer 0 (computed in the GUI from the matrices) is the run's
    // own summary (computed in the pipeline), and the later layers were still blank then.
    const widgets::DiversityCurves final_curves = window.diversityView()->curves();
    QVERIFY(first.curves.contains(QStringLiteral("weights_similarity/up")));
    for (auto it = first.curves.cbegin(); it != first.curves.cend(); ++it) {
      QVERIFY2(final_curves.curves.contains(it.key()), qPrintable(it.key()));
      QVERIFY2(std::abs(it.value()[0] - final_curves.curves.value(it.key())[0]) < 1e-5f, qPrintable(it.key()));
      QVERIFY(std::isnan(it.value()[7]));
    }
    // One run, not two: the routing the views show comes from the results file's D0.
    const auto ids = reader.readInt(results::layout::layerPath(0, results::layout::ds::kTopkIds));
    QCOMPARE(qsizetype(ids.values.size()), final_first.topk_ids.size());
    for (qsizetype i = 0; i < final_first.topk_ids.size(); ++i) QCOMPARE(int64_t(final_first.topk_ids[i]), ids.values[size_t(i)]);
  }

  void cancelledRunPutsThePreviousResultsBack() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    openDemo(window);
    QSignalSpy idle(&window, &MainWindow::idle);
    window.analyze();
    QVERIFY(idle.wait(120'000));
    QCOMPARE(window.routing().layerCount(), 8);
    const widgets::RoutingData before = window.routing();
    const int analysed_before = int(window.similarityView()->analyses().size());
    QCOMPARE(analysed_before, 8);

    // Another prompt, cancelled as its first layer arrives.
    window.promptPanel()->setText(QStringLiteral("The quick brown fox jumps over the lazy dog"));
    bool cancelled_mid_run = false;
    QSemaphore cancel_sent;
    connect(
        window.worker(), &gui::AnalysisWorker::layerAnalysed, &window,
        [&](const view_data::LoadedLayer&, int index, int) {
          if (index != 0) return;
          cancelled_mid_run = window.isBusy();
          window.cancel();
          cancel_sent.release();
        },
        Qt::QueuedConnection);
    // On the worker thread: the run waits after its first layer until the cancel was sent, so
    // it cannot finish first however fast the machine.
    connect(
        window.worker(), &gui::AnalysisWorker::layerAnalysed, window.worker(),
        [&](const view_data::LoadedLayer&, int index, int) {
          if (index == 0) cancel_sent.tryAcquire(1, 30'000);
        },
        Qt::DirectConnection);
    window.analyze();
    QVERIFY(idle.wait(120'000));
    QVERIFY(cancelled_mid_run);
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    QVERIFY(!window.pendingLayers()->isRunning());
    QCOMPARE(window.routing().tokens, before.tokens);
    QCOMPARE(window.routing().layerCount(), 8);
    QCOMPARE(window.routing().layers[3].topk_ids, before.layers[3].topk_ids);
    QCOMPARE(int(window.similarityView()->analyses().size()), analysed_before);
    QCOMPARE(int(window.pcaView()->layers().size()), 8);
  }
};

QTEST_MAIN(TestLiveUpdates)
#include "test_live_updates.moc"
