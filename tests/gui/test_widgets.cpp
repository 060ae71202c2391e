// The views against a hand-built routing record: 3 tokens, 4 experts, top-2, 2 layers.
#include <QApplication>
#include <QHelpEvent>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolTip>
#include <QtTest>
#include <cmath>

#include "tests/support/gui/sample_run.h"
#include "widgets/colormaps.h"
#include "widgets/elided_label.h"
#include "widgets/gate_score_chart.h"
#include "widgets/layer_navigator.h"
#include "widgets/model_summary_panel.h"
#include "widgets/plot_export.h"
#include "widgets/routing_data.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/selection_model.h"
#include "widgets/token_chip.h"
#include "widgets/token_inspector.h"
#include "widgets/token_routing_model.h"
#include "widgets/token_strip.h"

using namespace moescope::widgets;
namespace test = moescope::test;

using test::sampleAnalyses;
using test::sampleRouting;

namespace {

}  // namespace

class TestWidgets : public QObject {
  Q_OBJECT

 private slots:
  void routingDataHelpers() {
    const RoutingData data = sampleRouting();
    QVERIFY(data.layers[0].isConsistent());
    QCOMPARE(data.layers[0].tokenCount(), 3);
    QCOMPARE(data.mixingWeight(0, 0, 2), 0.7f);
    QCOMPARE(data.mixingWeight(0, 0, 1), 0.0f);
    QCOMPARE(data.topExpert(1, 1), 0);
    QCOMPARE(data.mixingWeight(7, 0, 0), 0.0f);  // out of range is 0, not a crash
    QCOMPARE(data.topExpert(0, 99), -1);
    LayerRoutingData broken = data.layers[0];
    broken.gate_scores.removeLast();
    QVERIFY(!broken.isConsistent());
  }

  void selectionSignalsOnlyOnChange() {
    SelectionModel selection;
    QSignalSpy spy(&selection, &SelectionModel::tokenChanged);
    selection.setToken(2);
    selection.setToken(2);
    QCOMPARE(spy.count(), 1);
    QSignalSpy experts(&selection, &SelectionModel::expertChanged);
    selection.setTokenAndExpert(2, 3);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(experts.count(), 1);
    QCOMPARE(selection.expert(), 3);
  }

  void palette() {
    QCOMPARE(expertColor(0), QColor(0xE6, 0x9F, 0x00));
    QVERIFY(expertColor(8) != expertColor(9));
    QVERIFY(expertColor(-1).isValid());
  }

  void tokenStripClickSelects() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.resize(500, 120);
    strip.setRunData(test::withRouting(sampleRouting()));
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    QCOMPARE(strip.chipCount(), 3);
    QTest::mouseClick(strip.chip(2), Qt::LeftButton);
    QCOMPARE(selection.token(), 2);
    QVERIFY(strip.chip(2)->isChecked());
    QVERIFY(!strip.chip(0)->isChecked());
    // Clicking the selected chip again must not uncheck it.
    QTest::mouseClick(strip.chip(2), Qt::LeftButton);
    QVERIFY(strip.chip(2)->isChecked());
  }

  void tokenStripKeysMove() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.setRunData(test::withRouting(sampleRouting()));
    strip.show();
    QVERIFY(QTest::qWaitForWindowExposed(&strip));
    QCOMPARE(selection.token(), 0);
    QTest::keyClick(&strip, Qt::Key_Right);
    QCOMPARE(selection.token(), 1);
    QVERIFY(strip.chip(1)->isChecked());
    QTest::keyClick(&strip, Qt::Key_Right);
    QTest::keyClick(&strip, Qt::Key_Right);  // stops at the last token
    QCOMPARE(selection.token(), 2);
    QTest::keyClick(&strip, Qt::Key_Left);
    QCOMPARE(selection.token(), 1);
  }

  void tokenStripColoursByTopExpert() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.setRunData(test::withRouting(sampleRouting()));
    QCOMPARE(strip.chipColor(0), expertColor(2));
    QCOMPARE(strip.chipColor(1), expertColor(1));
    QCOMPARE(strip.chipColor(2), expertColor(3));
    selection.setLayer(1);
    QCOMPARE(strip.chipColor(0), expertColor(1));
    QCOMPARE(strip.chipColor(1), expertColor(0));
    QCOMPARE(strip.chipColor(2), expertColor(2));
  }

  void tokenStripKeepsChipsWhenLayersArrive() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    RoutingData partial = sampleRouting();
    partial.layers.removeLast();
    strip.setRunData(test::withRouting(partial));
    TokenChip* first = strip.chip(0);
    strip.setRunData(test::withRouting(sampleRouting()));
    QCOMPARE(strip.chip(0), first);
  }

  // A generation's tokens: the strip draws the continuation's chips as generated (and only adds
  // chips as tokens arrive), the heatmap a line between prompt and continuation.
  void generatedTokensAreMarked() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    RoutingHeatmapView heatmap(&selection);
    RoutingData prompt = sampleRouting();
    prompt.tokens.removeLast();
    prompt.token_ids.removeLast();
    for (auto& layer : prompt.layers) {
      layer.topk_ids.resize(4);
      layer.topk_weights.resize(4);
      layer.gate_scores.resize(8);
    }
    prompt.generation_start = 2;
    strip.setRunData(test::withRouting(prompt));
    heatmap.setRunData(test::withRouting(prompt));
    QCOMPARE(strip.chipCount(), 2);
    QVERIFY(!strip.chip(0)->generated() && !strip.chip(1)->generated());
    QVERIFY(std::isnan(heatmap.generationBoundary()));  // nothing generated yet
    TokenChip* first = strip.chip(0);

    RoutingData grown = sampleRouting();
    grown.generation_start = 2;
    strip.setRunData(test::withRouting(grown));
    heatmap.setRunData(test::withRouting(grown));
    QCOMPARE(strip.chipCount(), 3);
    QCOMPARE(strip.chip(0), first);  // added to, not rebuilt
    QVERIFY(!strip.chip(1)->generated());
    QVERIFY(strip.chip(2)->generated());
    QCOMPARE(heatmap.generationBoundary(), 1.5);

    grown.generation_start = -1;  // a prompt's own results
    strip.setRunData(test::withRouting(grown));
    heatmap.setRunData(test::withRouting(grown));
    QVERIFY(!strip.chip(2)->generated());
    QVERIFY(std::isnan(heatmap.generationBoundary()));
  }

  void heatmapCellsHoldMixingWeights() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.setRunData(test::withRouting(sampleRouting()));
    const RoutingData data = sampleRouting();
    for (int t = 0; t < 3; ++t)
      for (int e = 0; e < 4; ++e)
        QCOMPARE(float(view.cellValue(e, t)), data.layers[0].mixingWeight(t, e));
    QCOMPARE(view.cellValue(2, 0), double(0.7f));
    QCOMPARE(view.cellValue(1, 0), 0.0);  // not chosen
    selection.setLayer(1);
    QCOMPARE(view.cellValue(0, 1), double(0.8f));
    QCOMPARE(view.cellValue(3, 1), 0.0);
  }

  void heatmapClickSelectsTokenAndExpert() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.resize(600, 400);
    view.setRunData(test::withRouting(sampleRouting()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.replot();
    const QPoint pos(int(view.xAxis->coordToPixel(2)), int(view.yAxis->coordToPixel(3)));
    QCOMPARE(view.cellAt(pos), std::make_optional(std::make_pair(2, 3)));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, pos);
    QCOMPARE(selection.token(), 2);
    QCOMPARE(selection.expert(), 3);
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.cellCenter(0, 1));
    QCOMPARE(selection.token(), 0);
    QCOMPARE(selection.expert(), 1);
  }

  void heatmapTooltipShowsExactWeight() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.resize(600, 400);
    view.setRunData(test::withRouting(sampleRouting()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.replot();
    const QPoint pos = view.cellCenter(2, 3);
    QHelpEvent help(QEvent::ToolTip, pos, view.mapToGlobal(pos));
    QApplication::sendEvent(&view, &help);
    QVERIFY2(QToolTip::text().contains(QStringLiteral("0.9000")), qPrintable(QToolTip::text()));
    QVERIFY(QToolTip::text().contains(QStringLiteral("E3")));
    QToolTip::hideText();
  }

  void plotsExportToEveryFormat() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.resize(500, 300);
    view.setRunData(test::withRouting(sampleRouting()));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const char* name : {"map.png", "map.pdf", "map.svg"}) {
      const QString path = dir.filePath(QString::fromLatin1(name));
      QString error;
      QVERIFY2(exportPlot(&view, path, &error), qPrintable(error));
      QVERIFY2(QFileInfo(path).size() > 500, name);
    }
    QString error;
    QVERIFY(!exportPlot(&view, dir.filePath(QStringLiteral("map.bmpx")), &error));
    QVERIFY(!error.isEmpty());
  }

  void heatmapSingleToken() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    RoutingData one = sampleRouting();
    one.tokens = one.tokens.mid(0, 1);
    one.token_ids = one.token_ids.mid(0, 1);
    for (LayerRoutingData& layer : one.layers) {
      layer.topk_ids.resize(2);
      layer.topk_weights.resize(2);
      layer.gate_scores.resize(4);
    }
    view.setRunData(test::withRouting(one));
    QCOMPARE(view.cellValue(2, 0), double(0.7f));
    QCOMPARE(view.cellValue(3, 0), 0.0);
  }

  void inspectorShowsChosenExperts() {
    SelectionModel selection;
    TokenInspector inspector(&selection);
    inspector.setRunData(test::withRouting(sampleRouting()));
    selection.setToken(1);
    const QAbstractItemModel* table = inspector.table()->model();
    const auto cell = [table](int row, int column, int role) { return table->index(row, column).data(role); };
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->columnCount(), 4);  // layer, the two choices, the top score's norm rank
    QCOMPARE(cell(0, 0, Qt::DisplayRole).toString(), QStringLiteral("3"));
    QCOMPARE(cell(1, 0, Qt::DisplayRole).toString(), QStringLiteral("5"));
    QCOMPARE(cell(0, 1, TokenInspector::ExpertRole).toInt(), 1);
    QCOMPARE(cell(0, 1, TokenInspector::WeightRole).toDouble(), double(0.6f));
    QCOMPARE(cell(0, 2, TokenInspector::ExpertRole).toInt(), 3);
    QCOMPARE(cell(1, 1, TokenInspector::ExpertRole).toInt(), 0);
    QCOMPARE(cell(1, 1, TokenInspector::WeightRole).toDouble(), double(0.8f));
    QVERIFY(cell(0, 1, Qt::DisplayRole).toString().contains(QStringLiteral("0.600")));
    QVERIFY(inspector.heading().contains(QStringLiteral("say &quot;hi&quot;, ok")));  // HTML-escaped
    // The chart shows the current layer's gate scores for the token.
    QCOMPARE(inspector.chart()->barValue(1), double(0.5f));
    QCOMPARE(inspector.chart()->barValue(3), double(0.35f));
    selection.setLayer(1);
    QCOMPARE(inspector.chart()->barValue(0), double(0.6f));
  }

  void inspectorRowClickSelectsLayer() {
    SelectionModel selection;
    TokenInspector inspector(&selection);
    inspector.resize(400, 500);
    inspector.setRunData(test::withRouting(sampleRouting()));
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    QTableView* table = inspector.table();
    const QRect cell = table->visualRect(table->model()->index(1, 2));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
    QCOMPARE(selection.layer(), 1);
    QCOMPARE(selection.expert(), 2);
  }

  void navigatorShowsDecoderLayers() {
    SelectionModel selection;
    LayerNavigator navigator(&selection);
    navigator.setLayers({3, 5});
    QCOMPARE(navigator.slider()->maximum(), 1);
    navigator.slider()->setValue(1);
    QCOMPARE(selection.layer(), 1);
    selection.setLayer(0);
    QCOMPARE(navigator.slider()->value(), 0);
  }

  void summaryPanelRows() {
    ModelSummaryPanel panel;
    panel.setRows({{QStringLiteral("Experts"), QStringLiteral("8")}, {QStringLiteral("Top-k"), QStringLiteral("2")}});
    QCOMPARE(panel.value(QStringLiteral("Top-k")), QStringLiteral("2"));
    panel.setRows({});
    QVERIFY(panel.value(QStringLiteral("Top-k")).isEmpty());
  }

  // A value too wide for the dock is shortened on one line, keeping a path's two ends, with the
  // whole text in the tooltip; given room again it shows whole.
  void summaryPanelShortensWhatDoesNotFit() {
    ModelSummaryPanel panel;
    const QString path = QStringLiteral("/home/someone/models/checkpoints/Mixtral-8x7B-Instruct-v0.1");
    panel.setRows({{QStringLiteral("Folder"), path}, {QStringLiteral("Top-k"), QStringLiteral("2")}});
    panel.resize(200, 200);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const auto labels = panel.findChildren<ElidedLabel*>();
    QCOMPARE(labels.size(), 2);
    ElidedLabel* folder = labels[0]->fullText() == path ? labels[0] : labels[1];
    QVERIFY(folder->isElided());
    QVERIFY(folder->text().contains(QChar(0x2026)));
    QVERIFY(folder->text().startsWith(QStringLiteral("/h")));   // elided in the middle:
    QVERIFY(folder->text().endsWith(QStringLiteral(".1")));     // both ends stay
    QVERIFY(folder->fontMetrics().horizontalAdvance(folder->text()) <= folder->contentsRect().width());
    QCOMPARE(folder->toolTip(), path);
    QCOMPARE(panel.value(QStringLiteral("Folder")), path);
    panel.resize(folder->sizeHint().width() + 300, 200);
    QTRY_COMPARE(folder->text(), path);
    QVERIFY(folder->toolTip().isEmpty());
  }

  // Long translated labels (German) beside short figures: at the panel's narrowest the figures
  // stay whole, a long description is what shortens.
  void summaryPanelNeverCutsShortValues() {
    ModelSummaryPanel panel;
    const QString description = QStringLiteral("Softmax über alle Experten, Top-k, Gewichte nicht renormiert");
    panel.setRows({{QStringLiteral("Aktive Parameter pro Token"), QStringLiteral("2,2 Mio.")},
                   {QStringLiteral("Routing"), description},
                   {QStringLiteral("Gespeichert als"), QStringLiteral("BF16")}});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.resize(panel.minimumSizeHint().width(), 200);
    QTRY_COMPARE(panel.width(), panel.minimumSizeHint().width());
    for (ElidedLabel* label : panel.findChildren<ElidedLabel*>()) {
      if (label->fullText() == description) QVERIFY(label->isElided());
      else QVERIFY2(!label->isElided(), qPrintable(label->text()));
    }
  }

  // The paired chart says which bars are which: a legend with the gate score and, once a run
  // has output norms, the hatched norm bars.
  void gateChartHasALegendForScoresAndNorms() {
    GateScoreChart chart;
    const RoutingData routing = sampleRouting();
    chart.showToken(routing.layers[1], 0, routing.tokens[0], -1);  // layer 5: no norms
    QCOMPARE(chart.legend->itemCount(), 1);
    auto nameOf = [&](int i) { return static_cast<QCPPlottableLegendItem*>(chart.legend->item(i))->plottable()->name(); };
    QCOMPARE(nameOf(0), QStringLiteral("gate score"));
    chart.showToken(routing.layers[0], 1, routing.tokens[1], -1);  // layer 3 has norms
    QCOMPARE(chart.legend->itemCount(), 2);
    QCOMPARE(nameOf(1), QStringLiteral("output norm"));
    QVERIFY(chart.legend->visible());
  }

  // 64 experts in a narrow inspector: the best-scored drawn by descending score, the chosen
  // always among them (E63 is chosen with the lowest score), one bar for the rest as tall as
  // their largest score; at a width that holds them all, every expert in order.
  void gateChartSummarisesManyExperts() {
    LayerRoutingData layer;
    layer.layer = 2;
    layer.experts = 64;
    layer.top_k = 2;
    for (int e = 0; e < 64; ++e) layer.gate_scores.append(e == 63 ? 0.0005f : 0.002f * float(e + 1));
    layer.topk_ids = {62, 63};
    layer.topk_weights = {0.7f, 0.3f};
    GateScoreChart chart;
    chart.resize(300, 250);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.showToken(layer, 0, QStringLiteral("t"), -1);
    const QVector<int> shown = chart.shownExperts();
    const int n = int(shown.size());
    QVERIFY2(n > 4 && n < 40, qPrintable(QString::number(n)));
    QCOMPARE(chart.summarisedCount(), 64 - n);
    QCOMPARE(shown.first(), 62);  // the best score
    QCOMPARE(shown.last(), 63);   // chosen, with the lowest score
    for (int p = 1; p + 1 < n; ++p) QCOMPARE(shown[p], 62 - p);  // E61, E60, ... by descending score
    QCOMPARE(chart.barValue(62), double(0.002f * 63));
    QVERIFY(std::isnan(chart.barValue(0)));  // summarised
    // The largest summarised score: the next in line after the n - 2 shown unchosen ones.
    QCOMPARE(chart.othersValue(), double(0.002f * float(62 - (n - 2))));
    // The expert labels and the summary's ("+N") never run into each other.
    const auto labelsApart = [&] {
      const QMap<double, QString> ticks = qSharedPointerCast<QCPAxisTickerText>(chart.xAxis->ticker())->ticks();
      const QFontMetricsF metrics(chart.xAxis->tickLabelFont());
      for (auto it = ticks.cbegin(); std::next(it) != ticks.cend(); ++it) {
        const auto next = std::next(it);
        const double room = chart.xAxis->coordToPixel(next.key()) - chart.xAxis->coordToPixel(it.key());
        if (room < (metrics.horizontalAdvance(it.value()) + metrics.horizontalAdvance(next.value())) / 2) return false;
      }
      return ticks.size() >= 2 && ticks.last() == QStringLiteral("+%1").arg(chart.summarisedCount());
    };
    QVERIFY(labelsApart());
    for (int width : {260, 280, 320, 340, 360, 400}) {
      chart.resize(width, 250);
      QTRY_VERIFY2(labelsApart(), qPrintable(QString::number(width)));
    }
    chart.resize(1600, 400);
    QTRY_COMPARE(chart.summarisedCount(), 0);
    QCOMPARE(chart.shownExperts().size(), 64);
    QCOMPARE(chart.shownExperts()[5], 5);
    QVERIFY(std::isnan(chart.othersValue()));
    QCOMPARE(chart.barValue(0), double(0.002f));
  }

  // Per layer, the output-norm rank of the expert with the highest gate score. Layer 3, token 0:
  // scores .25 .1 .5 .15 -> E2, norms 1.5 2 4 .5 -> E2 the largest: rank 1 of 4, checked.
  // Token 1: scores .05 .5 .1 .35 -> E1, norms 3 1 2 2.5 -> E1 the smallest: rank 4 of 4.
  // Layer 5 has no norms.
  void inspectorShowsTheTopScoresNormRank() {
    SelectionModel selection;
    TokenInspector inspector(&selection);
    inspector.setRunData(test::withRouting(sampleRouting()));
    const QAbstractItemModel* table = inspector.table()->model();
    const int last = 3;
    QCOMPARE(table->headerData(last, Qt::Horizontal).toString(), QStringLiteral("Top score's norm rank"));
    selection.setToken(0);
    QCOMPARE(table->index(0, last).data(TokenRoutingModel::NormRankRole).toInt(), 1);
    QCOMPARE(table->index(0, last).data().toString(), QStringLiteral("1 of 4 ✓"));
    QCOMPARE(table->index(1, last).data(TokenRoutingModel::NormRankRole).toInt(), 0);
    QCOMPARE(table->index(1, last).data().toString(), QStringLiteral("–"));
    selection.setToken(1);
    QCOMPARE(table->index(0, last).data(TokenRoutingModel::NormRankRole).toInt(), 4);
    QCOMPARE(table->index(0, last).data().toString(), QStringLiteral("4 of 4"));
  }

  // A layer without routing of the tokens (a file analysed without "routing") is said to have
  // none, not drawn as weights of 0; the inspector shows dashes, not expert -1.
  void layerWithoutRoutingSaysSo() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    TokenInspector inspector(&selection);
    RoutingData routing = sampleRouting();
    for (LayerRoutingData& layer : routing.layers) layer.topk_ids.clear(), layer.topk_weights.clear(), layer.gate_scores.clear();
    view.setRunData(test::withRouting(routing));
    inspector.setRunData(test::withRouting(routing));
    selection.setToken(1);
    QVERIFY(!view.showsMap());
    QCOMPARE(view.titleText(), QStringLiteral("This run computed no routing at layer 3"));
    const QAbstractItemModel* table = inspector.table()->model();
    QCOMPARE(table->index(0, 1).data(Qt::DisplayRole).toString(), QStringLiteral("–"));
    QVERIFY(!table->index(0, 1).data(TokenInspector::ExpertRole).isValid());
    view.setRunData(test::withRouting(sampleRouting()));
    QVERIFY(view.showsMap());
    QCOMPARE(view.titleText(), QStringLiteral("Layer 3: mixing weight of each expert per token"));
  }

  void emptyRoutingIsHarmless() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    RoutingHeatmapView view(&selection);
    TokenInspector inspector(&selection);
    strip.setRunData(test::withRouting({}));
    view.setRunData(test::withRouting({}));
    inspector.setRunData(test::withRouting({}));
    selection.setLayer(4);
    selection.setToken(9);
    QCOMPARE(strip.chipCount(), 0);
    QCOMPARE(view.cellValue(0, 0), 0.0);
    QTest::keyClick(&strip, Qt::Key_Right);
  }
};

QTEST_MAIN(TestWidgets)
#include "test_widgets.moc"
