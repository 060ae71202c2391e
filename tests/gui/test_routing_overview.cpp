// The layers x experts routing overview: its cells are the loads of a planted routing (worked
// out by hand) and of a real run of the demo model (counted here from the run's own top-k
// choices); a click on a cell's pixels selects its layer and expert; the selection moves the
// outlines; rows of layers still to come stay empty and fill in as they arrive, also in the
// window during a live run; the CSV holds the same numbers.
#include <QApplication>
#include <QHelpEvent>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolTip>
#include <QtTest>
#include <cmath>

#include "app/gui/analysis_worker.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "app/view_data/results_loading.h"
#include "core/demo/demo_model.h"
#include "core/pipeline/analysis_job.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/gui/sample_run.h"
#include "tests/support/test_support.h"
#include "widgets/analysis_data.h"
#include "widgets/data_table.h"
#include "widgets/layer_navigator.h"
#include "widgets/routing_overview_view.h"
#include "widgets/selection_model.h"

using namespace moescope;
using namespace moescope::widgets;

namespace {

// Three MoE layers (decoder 1, 3, 5), four experts, top-2, four tokens: eight routing slots a
// layer. The chosen experts, token by token, and the share of the slots each expert got:
//   layer 1: {0,1} {0,2} {0,1} {3,0}  -> E0 4/8, E1 2/8, E2 1/8, E3 1/8
//   layer 3: {2,3} {3,2} {2,3} {3,2}  -> E0 0,   E1 0,   E2 4/8, E3 4/8
//   layer 5: {0,1} {2,3} {1,0} {3,2}  -> 2/8 each (balanced)
const int kDecoder[] = {1, 3, 5};
const double kLoad[3][4] = {{0.5, 0.25, 0.125, 0.125}, {0.0, 0.0, 0.5, 0.5}, {0.25, 0.25, 0.25, 0.25}};

QVector<LayerAnalyses> plantedAnalyses(int layers = 3) {
  QVector<LayerAnalyses> out;
  for (int l = 0; l < layers; ++l) {
    LayerAnalyses layer;
    layer.layer = kDecoder[l];
    for (double share : kLoad[l]) layer.load.append(float(share));
    out.append(layer);
  }
  return out;
}

// The share of the routing slots each expert got, counted from the chosen experts.
QVector<double> countedLoad(const LayerRoutingData& routing) {
  QVector<double> load(routing.experts, 0.0);
  for (int id : routing.topk_ids) load[id] += 1.0;
  for (double& share : load) share /= double(routing.topk_ids.size());
  return load;
}

// Pixel centre of cell (row, column) worked out from the plot area alone: columns split its
// width evenly from the left, rows its height from the top (first layer on top).
QPoint cellPixel(const RoutingOverviewView& view, int row, int column) {
  const QRect area = view.axisRect()->rect();
  return {area.left() + int(std::lround((column + 0.5) * area.width() / view.expertCount())),
          area.top() + int(std::lround((row + 0.5) * area.height() / view.layerCount()))};
}

bool isMarkerRed(const QColor& colour) { return colour.red() > 180 && colour.green() < 80 && colour.blue() < 80; }

}  // namespace

class TestRoutingOverview : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString demo_;
  QString results_;

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test-overview"));
    QVERIFY(tmp_.isValid());
    // The demo model and one run of its routing and routing statistics, as moescope-cli does it.
    demo_ = tmp_.filePath(QStringLiteral("demo"));
    demo::writeDemoModel(demo_.toStdString());
    results_ = tmp_.filePath(QStringLiteral("demo.h5"));
    pipeline::AnalysisRequest request;
    request.model_dir = demo_.toStdString();
    request.ids = {5, 17, 42, 9, 300, 77, 12, 150, 61, 8, 230, 19};
    request.analyses = pipeline::AnalysisSet({pipeline::Analysis::Routing, pipeline::Analysis::Stats});
    request.output = results_.toStdString();
    pipeline::runAnalysis(request);
  }

  void cellsAreThePlantedLoads() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.setRunData(test::withAnalyses(plantedAnalyses()));
    QCOMPARE(view.layerCount(), 3);
    QCOMPARE(view.expertCount(), 4);
    for (int l = 0; l < 3; ++l) {
      QCOMPARE(view.decoderLayer(l), kDecoder[l]);
      QVERIFY(view.isRowFilled(l));
      for (int e = 0; e < 4; ++e) QCOMPARE(view.cellValue(l, e), kLoad[l][e]);
    }
    QVERIFY(std::isnan(view.cellValue(3, 0)));
    QVERIFY(std::isnan(view.cellValue(0, 4)));
    // Colours run from 0 to the busiest cell.
    QCOMPARE(view.colourRange().lower, 0.0);
    QCOMPARE(view.colourRange().upper, 0.5);
  }

  void cellsAreTheLoadsOfARealRun() {
    const view_data::LoadedResults results = view_data::loadResults(results_);
    QCOMPARE(results.data.analyses.size(), 8);  // the demo model's eight MoE layers
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.setRunData(test::withAnalyses(results.data.analyses));
    QCOMPARE(view.layerCount(), 8);
    QCOMPARE(view.expertCount(), 8);
    for (int l = 0; l < 8; ++l) {
      const LayerRoutingData& routing = results.data.routing.layers[l];
      QCOMPARE(view.decoderLayer(l), routing.layer);
      QCOMPARE(routing.topk_ids.size(), 12 * 2);
      const QVector<double> expected = countedLoad(routing);
      for (int e = 0; e < 8; ++e)
        QVERIFY2(std::abs(view.cellValue(l, e) - expected[e]) < 1e-6,
                 qPrintable(QStringLiteral("layer %1 expert %2: %3 vs %4").arg(l).arg(e).arg(view.cellValue(l, e)).arg(expected[e])));
    }
  }

  void clickingACellSelectsItsLayerAndExpert() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.resize(360, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withAnalyses(plantedAnalyses()));
    view.replot();
    for (const auto& [row, column] : {std::pair{2, 3}, std::pair{0, 1}, std::pair{1, 0}}) {
      QTest::mouseClick(&view, Qt::LeftButton, {}, cellPixel(view, row, column));
      QCOMPARE(selection.layer(), row);
      QCOMPARE(selection.expert(), column);
    }
    // Outside the grid nothing changes.
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(selection.layer(), 1);
    QCOMPARE(selection.expert(), 0);
  }

  void hoverNamesLayerExpertLoadAndBalance() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.resize(360, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setLayers({1, 3, 5});
    view.setRunData(test::withAnalyses(plantedAnalyses(2)));
    view.replot();
    const auto tip = [&view](int row, int column) {
      const QPoint at = cellPixel(view, row, column);
      QHelpEvent help(QEvent::ToolTip, at, view.mapToGlobal(at));
      QApplication::sendEvent(&view, &help);
      return QToolTip::text();
    };
    // Layer 1 (row 0), expert 0: 4 of 8 slots, twice the balanced 1/4.
    QCOMPARE(tip(0, 0), QStringLiteral("layer 1, expert 0: load 0.5000 (balanced 1/E = 0.2500, 2.00× balanced)"));
    QCOMPARE(tip(1, 2), QStringLiteral("layer 3, expert 2: load 0.5000 (balanced 1/E = 0.2500, 2.00× balanced)"));
    QCOMPARE(tip(0, 3), QStringLiteral("layer 1, expert 3: load 0.1250 (balanced 1/E = 0.2500, 0.50× balanced)"));
    QCOMPARE(tip(2, 1), QStringLiteral("layer 5: not computed yet"));
  }

  void selectionMovesTheOutlines() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.resize(360, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRunData(test::withAnalyses(plantedAnalyses()));
    QCOMPARE(view.markedLayer(), 0);  // the selection starts at layer index 0, no expert
    QCOMPARE(view.markedExpert(), -1);
    selection.setLayer(2);
    selection.setExpert(3);
    QCOMPARE(view.markedLayer(), 2);
    QCOMPARE(view.markedExpert(), 3);

    // Drawn where the cells are (the selection change redrew the outlines by itself): red on the
    // top edge of row 2 in column 0 (the layer outline), none on the top edge of row 1 in column
    // 0, red on the left edge of column 3 in row 0.
    const QImage image = view.grab().toImage();
    const qreal ratio = image.devicePixelRatio();
    const QRect area = view.axisRect()->rect();
    const double row_height = double(area.height()) / 3, column_width = double(area.width()) / 4;
    // A 2-pixel line straddles the cell edge: look two pixels either side of it.
    const auto red_near = [&](double x, double y, bool across_rows) {
      for (int d = -2; d <= 2; ++d) {
        const QPointF at = across_rows ? QPointF(x, y + d) : QPointF(x + d, y);
        if (isMarkerRed(image.pixelColor((at * ratio).toPoint()))) return true;
      }
      return false;
    };
    const double mid_column0 = area.left() + column_width / 2;
    QVERIFY(red_near(mid_column0, area.top() + 2 * row_height, true));
    QVERIFY(!red_near(mid_column0, area.top() + row_height, true));
    QVERIFY(red_near(area.left() + 3 * column_width, area.top() + row_height / 2, false));
    QVERIFY(!red_near(area.left() + 2 * column_width, area.top() + row_height / 2, false));

    selection.setExpert(-1);
    QCOMPARE(view.markedExpert(), -1);
    selection.setLayer(7);  // beyond the rows
    QCOMPARE(view.markedLayer(), -1);
  }

  void pendingRowsAreEmptyAndFillIn() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    // A run over three layers has started: the rows are known, nothing has arrived.
    view.setLayers({1, 3, 5});
    RunData started;
    started.routing.experts = 4;
    view.setRunData(started);
    QCOMPARE(view.layerCount(), 3);
    QCOMPARE(view.expertCount(), 4);
    for (int l = 0; l < 3; ++l) {
      QCOMPARE(view.decoderLayer(l), kDecoder[l]);
      QVERIFY(!view.isRowFilled(l));
      for (int e = 0; e < 4; ++e) QVERIFY(std::isnan(view.cellValue(l, e)));
    }
    // The first layer arrives, then the others.
    view.setRunData(test::withAnalyses(plantedAnalyses(1)));
    QVERIFY(view.isRowFilled(0));
    for (int e = 0; e < 4; ++e) {
      QCOMPARE(view.cellValue(0, e), kLoad[0][e]);
      QVERIFY(std::isnan(view.cellValue(1, e)));
      QVERIFY(std::isnan(view.cellValue(2, e)));
    }
    view.setRunData(test::withAnalyses(plantedAnalyses(3)));
    for (int l = 0; l < 3; ++l)
      for (int e = 0; e < 4; ++e) QCOMPARE(view.cellValue(l, e), kLoad[l][e]);

    // A run without routing statistics: every layer arrived, none has a load.
    QVector<LayerAnalyses> without = plantedAnalyses();
    for (LayerAnalyses& layer : without) layer.load.clear();
    view.setRunData(test::withAnalyses(without));
    QCOMPARE(view.layerCount(), 3);
    for (int l = 0; l < 3; ++l) QVERIFY(!view.isRowFilled(l));
  }

  void csvRowsAreTheLoads() {
    SelectionModel selection;
    RoutingOverviewView view(&selection);
    view.setLayers({1, 3, 5});
    view.setRunData(test::withAnalyses(plantedAnalyses(2)));  // layer 5 still to come
    const DataTable table = view.tableData();
    QCOMPARE(table.columns, (QStringList{"layer", "load_E0", "load_E1", "load_E2", "load_E3"}));
    QCOMPARE(table.rows.size(), 3);
    QCOMPARE(table.rows[0], (QStringList{"1", "0.5", "0.25", "0.125", "0.125"}));
    QCOMPARE(table.rows[1], (QStringList{"3", "0", "0", "0.5", "0.5"}));
    QCOMPARE(table.rows[2], (QStringList{"5", "", "", "", ""}));
  }

  void largeGridsStayLegibleInADock() {
    // Mixtral (8 experts x 32 layers), DeepSeekMoE (64 x 28), Qwen3 (128 x 48) in the space the
    // dock gives by default: tick labels never overlap, every expert keeps a column of pixels,
    // and the far corner cell is still hit by a click on its pixels.
    for (const auto& [experts, layers] : {std::pair{8, 32}, std::pair{64, 28}, std::pair{128, 48}}) {
      SelectionModel selection;
      RoutingOverviewView view(&selection);
      view.resize(270, 470);
      view.show();
      QVERIFY(QTest::qWaitForWindowExposed(&view));
      QVector<LayerAnalyses> analyses;
      for (int l = 0; l < layers; ++l) {
        LayerAnalyses layer;
        layer.layer = l;
        for (int e = 0; e < experts; ++e) layer.load.append(float((l * 7 + e * 13) % 17 + 1));
        analyses.append(layer);
      }
      view.setRunData(test::withAnalyses(analyses));
      view.replot();
      const QRect area = view.axisRect()->rect();
      QVERIFY2(area.width() >= experts, qPrintable(QString::number(area.width())));
      const QFontMetrics metrics(view.xAxis->tickLabelFont());
      const auto x_ticks = qSharedPointerCast<QCPAxisTickerText>(view.xAxis->ticker())->ticks();
      const auto y_ticks = qSharedPointerCast<QCPAxisTickerText>(view.yAxis->ticker())->ticks();
      QVERIFY(x_ticks.size() >= 2 && y_ticks.size() >= 2);
      QVERIFY(x_ticks.size() * metrics.horizontalAdvance(QString::number(experts - 1)) <= area.width());
      QVERIFY(y_ticks.size() * metrics.height() <= area.height());
      QTest::mouseClick(&view, Qt::LeftButton, {}, cellPixel(view, layers - 1, experts - 1));
      QCOMPARE(selection.layer(), layers - 1);
      QCOMPARE(selection.expert(), experts - 1);
      if (const QByteArray dir = qgetenv("MOESCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
        view.grab().save(QStringLiteral("%1/overview-%2x%3.png").arg(QString::fromLocal8Bit(dir)).arg(experts).arg(layers));

      if (experts < 112) continue;
      // Zoomed in on experts 96-111, the labels follow the cells in view and stay apart, and a
      // click picks the expert under it.
      view.xAxis->setRange(95.5, 111.5);
      view.replot();
      const auto zoomed = qSharedPointerCast<QCPAxisTickerText>(view.xAxis->ticker())->ticks();
      QVERIFY(zoomed.firstKey() >= 96 && zoomed.lastKey() <= 111);
      QVERIFY(zoomed.size() >= 4);  // 16 columns in ~170 pixels: at least every fourth labelled
      QVERIFY(zoomed.size() * metrics.horizontalAdvance(QString::number(experts - 1)) <= area.width());
      QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellCenter(10, 100));
      QCOMPARE(selection.layer(), 10);
      QCOMPARE(selection.expert(), 100);
    }
  }

  void windowShowsResultsAndClicksMoveTheNavigator() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    QSignalSpy idle(&window, &gui::MainWindow::idle);
    window.openResultsFile(results_);
    QVERIFY(idle.wait(60'000));
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    RoutingOverviewView* view = window.routingOverview();
    QVERIFY(view && view->isVisible());
    QCOMPARE(view->layerCount(), 8);
    const LayerRoutingData& routing = window.routing().layers[5];
    const QVector<double> expected = countedLoad(routing);
    for (int e = 0; e < 8; ++e) QVERIFY(std::abs(view->cellValue(5, e) - expected[e]) < 1e-6);

    // A click on cell (5, 6) moves the window's selection, and so the layer navigator.
    view->replot();
    QTest::mouseClick(view, Qt::LeftButton, {}, cellPixel(*view, 5, 6));
    QCOMPARE(window.selection()->layer(), 5);
    QCOMPARE(window.selection()->expert(), 6);
    auto* navigator = window.findChild<LayerNavigator*>();
    QVERIFY(navigator);
    QCOMPARE(navigator->slider()->value(), 5);
    if (const QByteArray dir = qgetenv("MOESCOPE_SCREENSHOT_DIR"); !dir.isEmpty())
      window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/overview-window.png"));
  }

  void windowFillsRowsAsALiveRunArrives() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window, test::DialogCloser::Closes::EveryDialog);
    QSignalSpy idle(&window, &gui::MainWindow::idle);
    window.promptPanel()->setText(QStringLiteral("As an open source alternative to"));
    window.openModelFolder(demo_);
    QVERIFY(idle.wait(120'000));
    QVERIFY2(window.hasModel(), qPrintable(closer->text));

    // Queued after the window's own handler of the same signal: what the overview shows right
    // after layer `index` arrived.
    QVector<int> filled_rows, total_rows;
    connect(
        window.worker(), &gui::AnalysisWorker::layerAnalysed, &window,
        [&](const view_data::LoadedLayer&, int, int) {
          RoutingOverviewView* view = window.routingOverview();
          int filled = 0;
          for (int l = 0; l < view->layerCount(); ++l) filled += view->isRowFilled(l) ? 1 : 0;
          filled_rows.append(filled);
          total_rows.append(view->layerCount());
        },
        Qt::QueuedConnection);
    window.analyze();
    QVERIFY(idle.wait(300'000));
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    QCOMPARE(filled_rows, (QVector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
    QCOMPARE(total_rows, QVector<int>(8, 8));  // every planned row from the start
    // Finished: every cell is the share of the slots the run's routing sent to the expert.
    RoutingOverviewView* view = window.routingOverview();
    for (int l = 0; l < 8; ++l) {
      const QVector<double> expected = countedLoad(window.routing().layers[l]);
      for (int e = 0; e < 8; ++e) QVERIFY(std::abs(view->cellValue(l, e) - expected[e]) < 1e-6);
    }
  }
};

QTEST_MAIN(TestRoutingOverview)
#include "test_routing_overview.moc"
