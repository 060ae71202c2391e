// The comparison views on a planted comparison whose numbers are worked out here by hand: the
// per-token top-k overlap of two routings, the agreement map's cells and its click, the
// saturation curves by layer and over models, the cross-model expert heatmap with its matching
// outlined, the token strip's marks, the models side by side in the token inspector, the
// comparison tabs that appear only for a comparison, and one model choice that every view
// follows. Then a real comparison file: the permuted copy of a tiny model, written by the
// pipeline, read back into the views' data with its matching and its two routings.
#include <ATen/ATen.h>

#include <QLabel>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>

#include "app/gui/compare_models_dialog.h"
#include "app/gui/main_window.h"
#include "app/gui/prompt_panel.h"
#include "app/gui/view_area.h"
#include "app/view_data/results_loading.h"
#include "core/demo/demo_model.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/model_comparison.h"
#include "core/pipeline/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/dialog_closer.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "tests/support/tiny_model_copy.h"
#include "widgets/agreement_map_view.h"
#include "widgets/compared_model_box.h"
#include "widgets/cross_similarity_view.h"
#include "widgets/figure_batch.h"
#include "widgets/figure_catalog.h"
#include "widgets/models_side_by_side_model.h"
#include "widgets/run_data.h"
#include "widgets/saturation_curve_view.h"
#include "widgets/selection_model.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

using namespace moescope;
using namespace moescope::widgets;
namespace fs = std::filesystem;

namespace {

// One layer of top-2 routing over four experts: the chosen pairs, token by token; weights and
// scores are not what these views compare.
LayerRoutingData routingLayer(int decoder, const QVector<QPair<int, int>>& chosen) {
  LayerRoutingData layer;
  layer.layer = decoder;
  layer.experts = 4;
  layer.top_k = 2;
  for (const auto& [first, second] : chosen) {
    layer.topk_ids << first << second;
    layer.topk_weights << 0.6f << 0.4f;
    QVector<float> scores(4, 0.0f);
    scores[first] = 0.6f;
    scores[second] = 0.4f;
    layer.gate_scores << scores;
  }
  return layer;
}

RoutingData routingOf(const QVector<LayerRoutingData>& layers) {
  RoutingData routing;
  routing.tokens = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
  routing.token_ids = {10, 11, 12};
  routing.experts = 4;
  routing.top_k = 2;
  routing.layers = layers;
  return routing;
}

// Three models on three tokens, MoE layers 1 and 3; "final" (model 2) is the reference.
//   reference layer 1: {0,1} {0,1} {2,3}   layer 3: {0,1} {2,3} {0,1}
//   early     layer 1: {1,0} {0,2} {0,1}   layer 3: {0,1} {2,3} {0,1}
//   middle    layer 1: {0,1} {0,1} {2,3}   layer 3: {2,3} {2,3} {0,1}
// Per token |A ∩ B| / 2 against the reference: early layer 1: 1, 1/2, 0; layer 3: 1, 1, 1;
// middle layer 1: 1, 1, 1; layer 3: 0, 1, 1.
// The file's rows run layer 3 first, so the views must place rows by decoder layer.
RunData plantedComparison() {
  auto comparison = std::make_shared<ComparisonData>();
  comparison->models = {QStringLiteral("early"), QStringLiteral("middle"), QStringLiteral("final")};
  comparison->reference = 2;
  const RoutingData reference =
      routingOf({routingLayer(1, {{0, 1}, {0, 1}, {2, 3}}), routingLayer(3, {{0, 1}, {2, 3}, {0, 1}})});
  comparison->routing = {routingOf({routingLayer(1, {{1, 0}, {0, 2}, {0, 1}}), routingLayer(3, {{0, 1}, {2, 3}, {0, 1}})}),
                         routingOf({routingLayer(1, {{0, 1}, {0, 1}, {2, 3}}), routingLayer(3, {{2, 3}, {2, 3}, {0, 1}})}),
                         reference};

  ModelDifference early;
  early.model = 0;
  early.layers = {3, 1};
  early.tokens = 3;
  // top-1, top-k overlap, Jaccard, tau per row (layer 3, then layer 1).
  early.agreement = {1.0f, 1.0f, 1.0f, 0.9f, /**/ 1.0f / 3, 0.5f, 4.0f / 9, 0.2f};
  early.differing = {0, 0, 0, /**/ 0, 1, 1};
  early.output_cosine = {0.99f, 0.98f, 0.97f, /**/ 0.5f, 0.4f, 0.3f};
  early.output_norm_ratio = {1.0f, 1.1f, 1.2f, /**/ 2.0f, 0.5f, 1.5f};
  early.first_divergent_layer = 1;
  ExpertCorrespondence moved;  // layer 3: experts 0 and 1 swapped
  moved.match = {1, 0, 2, 3};
  SimilarityMatrix up;
  up.size = 4;
  up.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
  for (int e = 0; e < 4; ++e)
    for (int f = 0; f < 4; ++f) up.values << (f == moved.match[e] ? 0.95f : 0.1f * float(e + f));
  moved.matrices.insert(QStringLiteral("weights_similarity/up"), up);
  ExpertCorrespondence identity;  // layer 1
  identity.match = {0, 1, 2, 3};
  SimilarityMatrix identity_up = up;
  for (int e = 0; e < 4; ++e)
    for (int f = 0; f < 4; ++f) identity_up.values[e * 4 + f] = e == f ? 1.0f : 0.2f;
  identity.matrices.insert(QStringLiteral("weights_similarity/up"), identity_up);
  early.experts = {moved, identity};

  ModelDifference middle;
  middle.model = 1;
  middle.layers = {1, 3};
  middle.tokens = 3;
  middle.agreement = {1.0f, 1.0f, 1.0f, 1.0f, /**/ 2.0f / 3, 2.0f / 3, 2.0f / 3, 0.5f};
  middle.differing = {0, 0, 0, /**/ 1, 0, 0};
  middle.first_divergent_layer = 3;
  middle.experts = {identity, identity};
  comparison->differences = {early, middle};

  RunData data;
  data.routing = reference;
  for (int decoder : {1, 3}) {
    LayerAnalyses analyses;
    analyses.layer = decoder;
    data.analyses << analyses;
  }
  data.comparison = comparison;
  return data;
}

}  // namespace

class TestComparisonViews : public QObject {
  Q_OBJECT

 private slots:
  // |A ∩ B| / k per token, with the experts in any order.
  void topkOverlapByHand() {
    const LayerRoutingData a = routingLayer(0, {{0, 1}, {0, 1}, {2, 3}});
    const LayerRoutingData b = routingLayer(0, {{1, 0}, {0, 2}, {0, 1}});
    QCOMPARE(topkOverlap(a, b, 0), 1.0);
    QCOMPARE(topkOverlap(a, b, 1), 0.5);
    QCOMPARE(topkOverlap(a, b, 2), 0.0);
    QVERIFY(std::isnan(topkOverlap(a, b, 3)));
  }

  void agreementMapShowsTheOverlapAndSelects() {
    SelectionModel selection;
    AgreementMapView view(&selection);
    view.resize(700, 500);
    view.setRunData(plantedComparison());
    QCOMPARE(view.layerCount(), 2);
    QCOMPARE(view.tokenCount(), 3);
    const double expected[2][3] = {{1.0, 0.5, 0.0}, {1.0, 1.0, 1.0}};
    for (int layer = 0; layer < 2; ++layer)
      for (int token = 0; token < 3; ++token) QCOMPARE(view.cellValue(layer, token), expected[layer][token]);
    // C4 from the file's rows, placed by decoder layer (the file lists layer 3 first).
    view.setMeasure(AgreementMapView::Measure::OutputCosine);
    QCOMPARE(view.cellValue(0, 1), double(0.4f));
    QCOMPARE(view.cellValue(1, 2), double(0.97f));
    view.setMeasure(AgreementMapView::Measure::OutputNormRatio);
    QCOMPARE(view.cellValue(0, 0), 2.0);
    // The other model has no C4: nothing to draw, and the title says so.
    selection.setComparedModel(1);
    QVERIFY(std::isnan(view.cellValue(0, 0)));
    QVERIFY(view.titleText().contains(QLatin1String("middle")));
    view.setMeasure(AgreementMapView::Measure::TopkOverlap);
    QCOMPARE(view.cellValue(1, 0), 0.0);  // middle, layer 3, token 0: {2,3} against {0,1}
    QCOMPARE(view.cellValue(1, 1), 1.0);

    // A click on a cell selects its layer and token; the outlines follow the selection.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellCenter(1, 2));
    QCOMPARE(selection.layer(), 1);
    QCOMPARE(selection.token(), 2);
    QCOMPARE(view.markedLayer(), 1);
    QCOMPARE(view.markedToken(), 2);
    // The CSV holds the drawn numbers, layer by layer.
    const DataTable table = view.tableData();
    QCOMPARE(table.columns, (QStringList{"layer", "t0", "t1", "t2"}));
    QCOMPARE(table.rows.value(1), (QStringList{"3", "0", "1", "1"}));
  }

  void saturationCurvesFollowTheLayers() {
    SelectionModel selection;
    SaturationCurveView view(&selection);
    view.resize(700, 500);
    view.setRunData(plantedComparison());
    QCOMPARE(view.layers(), (QVector<int>{1, 3}));
    QCOMPARE(view.curveCount(), 2);
    // Top-k overlap, by decoder layer: early 0.5 at layer 1 and 1 at layer 3; middle 1 and 2/3.
    QCOMPARE(view.value(0, 0), double(0.5f));
    QCOMPARE(view.value(0, 1), 1.0);
    QCOMPARE(view.value(1, 1), double(2.0f / 3));
    view.setMeasure(AgreementMeasure::KendallTau);
    QCOMPARE(view.value(0, 0), double(0.2f));
    QCOMPARE(view.value(0, 1), double(0.9f));
    // Over models, in the order given: early's mean over layers (0.5 + 1) / 2 = 0.75, middle's
    // (1 + 2/3) / 2 = 5/6, the reference 1; and the selected layer (index 1: decoder 3).
    view.setMeasure(AgreementMeasure::TopkOverlap);
    QVERIFY(view.canShowOverModels());
    selection.setLayer(1);
    view.setOverModels(true);
    QCOMPARE(view.curveCount(), 2);
    QCPGraph* mean = view.graph(0);
    QCOMPARE(mean->data()->size(), 3);
    QVERIFY(std::fabs((mean->data()->constBegin() + 0)->value - 0.75) < 1e-6);
    QVERIFY(std::fabs((mean->data()->constBegin() + 1)->value - 5.0 / 6) < 1e-6);
    QCOMPARE((mean->data()->constBegin() + 2)->value, 1.0);
    QCPGraph* at_layer = view.graph(1);
    QCOMPARE((at_layer->data()->constBegin() + 0)->value, 1.0);
    QVERIFY(std::fabs((at_layer->data()->constBegin() + 1)->value - 2.0 / 3) < 1e-6);
    const DataTable table = view.tableData();
    QCOMPARE(table.columns, (QStringList{"model", "topk_overlap_mean", "topk_overlap_layer_3"}));
    QCOMPARE(table.rows.value(2).value(0), QStringLiteral("final"));

    // By layer, a click on a point selects its layer and model.
    view.setOverModels(false);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QPoint point(int(std::lround(view.xAxis->coordToPixel(0))), int(std::lround(view.yAxis->coordToPixel(0.5))));
    QTest::mouseClick(&view, Qt::LeftButton, {}, point);
    QCOMPARE(selection.layer(), 0);
    QCOMPARE(selection.comparedModel(), 0);
  }

  void crossSimilarityOutlinesTheMatching() {
    SelectionModel selection;
    CrossSimilarityView view(&selection);
    view.resize(600, 600);
    view.setRunData(plantedComparison());
    QVERIFY(view.setMeasure(QStringLiteral("weights_similarity/up")));
    selection.setLayer(1);  // decoder layer 3: experts 0 and 1 swapped
    QCOMPARE(view.expertCount(), 4);
    QCOMPARE(view.outlinedColumn(0), 1);
    QCOMPARE(view.outlinedColumn(1), 0);
    QCOMPARE(view.outlinedColumn(2), 2);
    QVERIFY(view.isOutlinedAsMoved(0) && view.isOutlinedAsMoved(1));
    QVERIFY(!view.isOutlinedAsMoved(2) && !view.isOutlinedAsMoved(3));
    QCOMPARE(view.cellValue(0, 1), double(0.95f));
    QCOMPARE(view.cellValue(2, 3), double(0.1f * 5));
    QVERIFY(view.titleText().contains(QLatin1String("experts matched to another: 2")));
    selection.setLayer(0);  // decoder layer 1: everything on the diagonal
    QCOMPARE(view.outlinedColumn(0), 0);
    QVERIFY(!view.isOutlinedAsMoved(0));
    QCOMPARE(view.cellValue(0, 1), double(0.2f));
    QVERIFY(view.titleText().contains(QLatin1String("every expert matched to itself")));
    // A measure the comparison lacks gives way to the first it has.
    QVERIFY(!view.setMeasure(QStringLiteral("router_similarity")));
    QCOMPARE(view.measure(), QStringLiteral("weights_similarity/up"));
    QCOMPARE(view.expertCount(), 4);
    // A click selects the reference's expert of the column.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellCenter(2, 3));
    QCOMPARE(selection.expert(), 3);
  }

  void tokenStripMarksWhereTheModelsDiffer() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.setRunData(plantedComparison());
    // early, layer 1 (index 0): tokens 1 and 2 differ (the file's tokens_differing).
    QVERIFY(!strip.chipDiffers(0));
    QVERIFY(strip.chipDiffers(1) && strip.chipDiffers(2));
    selection.setLayer(1);  // layer 3: early agrees everywhere
    for (int t = 0; t < 3; ++t) QVERIFY(!strip.chipDiffers(t));
    selection.setComparedModel(1);  // middle at layer 3: token 0
    QVERIFY(strip.chipDiffers(0));
    QVERIFY(!strip.chipDiffers(1));
    // One model's results: no marks.
    RunData single = plantedComparison();
    single.comparison.reset();
    strip.setRunData(single);
    QVERIFY(!strip.chipDiffers(0));
  }

  // choicesDiffer, the strip and the side-by-side table read one source: the comparison's table
  // when it has one (planted here against the routing, to tell the sources apart), else the
  // routing.
  void oneSourceForWhereModelsDiffer() {
    RunData data = plantedComparison();
    auto comparison = std::make_shared<ComparisonData>(*data.comparison);
    // middle's routing equals the reference's at layer 1; its table says token 2 differs there.
    comparison->differences[1].differing = {0, 0, 1, /**/ 1, 0, 0};
    QVERIFY(comparison->choicesDiffer(1, 1, 2));
    QVERIFY(!comparison->choicesDiffer(1, 1, 0));
    QVERIFY(!comparison->choicesDiffer(2, 1, 2));  // the reference against itself
    data.comparison = comparison;
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.setRunData(data);
    selection.setComparedModel(1);
    QVERIFY(strip.chipDiffers(2) && !strip.chipDiffers(1));
    TokenInspector inspector(&selection);
    inspector.setRunData(data);
    selection.setToken(2);
    QCOMPARE(inspector.sideBySide()->model()->index(0, 2).data(ModelsSideBySideModel::DiffersRole).toBool(), true);
    // Without a table, the routing: middle chose {2,3} against {0,1} at layer 3 for token 0 only.
    auto routed = std::make_shared<ComparisonData>(*comparison);
    routed->differences[1].differing.clear();
    QVERIFY(routed->choicesDiffer(1, 3, 0));
    QVERIFY(!routed->choicesDiffer(1, 3, 1));
    QVERIFY(!routed->choicesDiffer(1, 1, 2));
  }

  void inspectorShowsTheModelsSideBySide() {
    SelectionModel selection;
    TokenInspector inspector(&selection);
    inspector.setRunData(plantedComparison());
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    QTableView* table = inspector.sideBySide();
    QVERIFY(table->isVisible());
    QAbstractItemModel* model = table->model();
    selection.setToken(1);
    // In a dock narrower than the tables, the rank columns keep their contents' width (the
    // table scrolls) and the layer column stays narrow.
    inspector.resize(240, 700);
    QTest::qWait(10);
    QTableView* ranks = inspector.table();
    const QString weight = ranks->model()->index(0, 1).data().toString();
    QVERIFY(!weight.isEmpty());
    QVERIFY2(ranks->columnWidth(1) >= ranks->fontMetrics().horizontalAdvance(weight),
             qPrintable(QStringLiteral("%1 px for \"%2\"").arg(ranks->columnWidth(1)).arg(weight)));
    QVERIFY(ranks->columnWidth(0) < ranks->columnWidth(1));
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->columnCount(), 4);  // layer, early, middle, final
    QVERIFY(model->headerData(3, Qt::Horizontal).toString().contains(QLatin1String("reference")));
    // Token 1, layer 1: early chose {0,2} against {0,1}; middle the same as the reference.
    QCOMPARE(model->index(0, 1).data(ModelsSideBySideModel::DiffersRole).toBool(), true);
    QCOMPARE(model->index(0, 2).data(ModelsSideBySideModel::DiffersRole).toBool(), false);
    QCOMPARE(model->index(0, 1).data(ModelsSideBySideModel::ExpertsRole).value<QList<int>>(), (QList<int>{0, 2}));
    QVERIFY(model->index(0, 1).data().toString().startsWith(QLatin1String("E0 0.600")));
    // One expert a line, so that a model's column is one expert wide in the narrow dock.
    QCOMPARE(model->index(0, 1).data().toString().count(QLatin1Char('\n')), 1);
    QVERIFY(table->rowHeight(0) >= 2 * table->fontMetrics().height());
    // Its export holds every model's choices after the reference's.
    const DataTable table_data = inspector.tableData();
    QCOMPARE(table_data.columns.mid(8), (QStringList{"early_expert_1", "early_expert_2", "middle_expert_1", "middle_expert_2"}));
    QCOMPARE(table_data.rows.value(0).mid(8), (QStringList{"0", "2", "0", "1"}));
    // A click on a row selects its layer.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(model->index(1, 1)).center());
    QCOMPARE(selection.layer(), 1);
    RunData single = plantedComparison();
    single.comparison.reset();
    inspector.setRunData(single);
    QVERIFY(!table->isVisible());
  }

  // The comparison tabs wait hidden, appear (showing the first) for a comparison, hide again
  // for one model's results; the model choice shows with more than one compared model and
  // moves every view.
  void comparisonTabsAppearForAComparison() {
    QMainWindow window;
    SelectionModel selection;
    gui::ViewArea views(&window, &selection, new QWidget);
    QTabWidget* tabs = views.tabs();
    auto* map = qobject_cast<AgreementMapView*>(views.view(ViewId::AgreementMap));
    QVERIFY(map);
    const int map_tab = tabs->indexOf(map);
    QVERIFY(!tabs->isTabVisible(map_tab));
    views.show(plantedComparison());
    QVERIFY(tabs->isTabVisible(map_tab));
    QVERIFY(tabs->isTabVisible(tabs->indexOf(views.view(ViewId::CrossSimilarity))));
    QCOMPARE(tabs->currentIndex(), map_tab);

    auto* box = map->findChild<ComparedModelBox*>();
    QVERIFY(box);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(box->isVisible());
    QCOMPARE(box->combo()->count(), 2);
    QCOMPARE(box->combo()->itemText(1), QStringLiteral("middle vs final"));
    box->combo()->setCurrentIndex(1);
    emit box->combo()->activated(1);
    QCOMPARE(selection.comparedModel(), 1);
    QCOMPARE(map->cellValue(1, 0), 0.0);
    auto* cross = views.view(ViewId::CrossSimilarity);
    QCOMPARE(cross->findChild<ComparedModelBox*>()->combo()->currentIndex(), 1);

    RunData single = plantedComparison();
    single.comparison.reset();
    views.show(single);
    QVERIFY(!tabs->isTabVisible(map_tab));
    QCOMPARE(selection.comparedModel(), 0);
  }

  // Export All Figures of a comparison: the comparison's figures join the batch for the model
  // chosen; those the comparison lacks are skipped with their reason (over models needs three
  // models, the router heatmap needs C3, the output cosine C4 of the model chosen).
  void exportAllWritesTheComparisonFigures() {
    QTemporaryDir folder;
    FigureBatchRequest request;
    request.folder = folder.path();
    request.layer_indices = {1};
    request.formats = {FigureFormat::Svg};
    request.figures = comparisonFigureSet();
    request.compared_model = 0;
    FigureBatch batch(plantedComparison(), request);
    QStringList planned = batch.plannedFiles();
    planned.sort();
    QCOMPARE(planned, (QStringList{"compare_output_cosine.svg", "compare_router_saturation.svg",
                                   "compare_router_saturation_over_models.svg", "compare_top1_agreement.svg",
                                   "compare_topk_overlap.svg", "layer3_compare_experts_weights_up.svg"}));
    QCOMPARE(batch.skipped().size(), 3);  // gate, down and router matrices
    QSignalSpy finished(&batch, &FigureBatch::finished);
    batch.start();
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QFile cross(folder.filePath(QStringLiteral("layer3_compare_experts_weights_up.svg")));
    QVERIFY(cross.open(QIODevice::ReadOnly));
    // The model chosen is early: at layer 3 its experts 0 and 1 are matched to each other.
    QVERIFY(QString::fromUtf8(cross.readAll()).contains(QLatin1String("experts matched to another: 2")));
  }

  // What keeps File > Compare Models… from running: too few inputs, a mix of models and
  // results files, an output that would overwrite an input.
  void compareDialogNamesWhatIsMissing() {
    gui::CompareModelsDialog dialog(QStringLiteral("/models/base"), QStringLiteral("/tmp/comparison.h5"));
    QVERIFY(dialog.problem().contains(QLatin1String("two")));
    dialog.addInputs({QStringLiteral("/models/instruct")});
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    QCOMPARE(dialog.choice().reference, 1);  // the last, by default
    dialog.setReference(0);
    QCOMPARE(dialog.choice().reference, 0);
    dialog.addInputs({QStringLiteral("/runs/a.h5")});
    QVERIFY(dialog.problem().contains(QLatin1String("not both")));
    // Every label with a mnemonic leads to its field (without a buddy the "&" would show).
    for (QLabel* label : dialog.findChildren<QLabel*>())
      if (label->text().contains(QLatin1Char('&'))) QVERIFY2(label->buddy(), qPrintable(label->text()));
    gui::CompareModelsDialog files(QStringLiteral("/runs/a.h5"), QStringLiteral("/runs/a.h5"));
    files.addInputs({QStringLiteral("/runs/b.h5")});
    QVERIFY(files.problem().contains(QLatin1String("overwrite")));
    files.setOutput(QStringLiteral("/runs/ab.h5"));
    QVERIFY(files.problem().isEmpty());
    QCOMPARE(files.choice().inputs, (QStringList{"/runs/a.h5", "/runs/b.h5"}));
  }

  // File > Compare Models… end to end: two runs of a small demo model on the prompt, compared
  // on the worker, open in the window with the comparison tabs; then two results files of the
  // same text, compared by their routing. A model and a results file together are refused.
  void explorerComparesModelsAndResultsFiles() {
    QTemporaryDir tmp;
    const QString demo = tmp.filePath(QStringLiteral("demo"));
    demo::DemoRecipe small;
    small.num_layers = 2;
    demo::writeDemoModel(fs::path(demo.toStdString()), small);
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* closer = new test::DialogCloser(&window);
    QSignalSpy idle(&window, &gui::MainWindow::idle);
    window.promptPanel()->setText(QStringLiteral("The quick brown fox"));
    gui::ComparisonChoice choice;
    choice.inputs = {demo, demo};
    choice.reference = 1;
    choice.output = tmp.filePath(QStringLiteral("models.h5"));
    window.compareModels(choice);
    QVERIFY(idle.wait(60'000));
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    const ComparisonDataPtr comparison = window.shownData().comparison;
    QVERIFY(comparison);
    QCOMPARE(comparison->differences.size(), 1);
    QCOMPARE(comparison->differences[0].agreementAt(0, AgreementMeasure::Top1), 1.0f);
    QTabWidget* tabs = window.viewTabs();
    QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("AgreementMapView"));
    auto* map = qobject_cast<AgreementMapView*>(tabs->currentWidget());
    QCOMPARE(map->cellValue(1, 0), 1.0);

    // The results files of two analyses of the same text, compared without the model.
    const QString first = tmp.filePath(QStringLiteral("first.h5")), second = tmp.filePath(QStringLiteral("second.h5"));
    for (const QString& out : {first, second}) {
      pipeline::AnalysisRequest run;
      run.model_dir = fs::path(demo.toStdString());
      run.texts = {"The quick brown fox"};
      run.analyses = pipeline::parseAnalyses("routing");
      run.device = torch_support::DevicePreference::Cpu;
      run.output = fs::path(out.toStdString());
      pipeline::runAnalysis(run, {});
    }
    choice.inputs = {first, second};
    choice.output = tmp.filePath(QStringLiteral("files.h5"));
    window.compareModels(choice);
    QVERIFY(idle.wait(60'000));
    QVERIFY2(closer->text.isEmpty(), qPrintable(closer->text));
    QVERIFY(window.shownData().comparison);
    QCOMPARE(window.shownData().comparison->models, (QStringList{"first.h5", "second.h5"}));
    QVERIFY(window.shownData().comparison->differences[0].experts.value(0).matrices.isEmpty());

    choice.inputs = {demo, first};
    choice.output = tmp.filePath(QStringLiteral("mixed.h5"));
    window.compareModels(choice);
    QVERIFY(idle.wait(60'000));
    QTRY_VERIFY_WITH_TIMEOUT(!closer->text.isEmpty(), 10'000);
    QVERIFY2(closer->text.contains(QLatin1String("not both")) || closer->text.contains(QLatin1String("results files")),
             qPrintable(closer->text));
    QVERIFY(!QFile::exists(choice.output));
  }

  // A comparison file whose /compare holds arrays of the wrong shapes, an expert match out of
  // range and a model without results: it still opens, showing the reference's results, and
  // the views' data leaves out what does not fit instead of reading past it.
  void malformedComparisonOpensWhatFits() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const test::TinySpec spec = test::tinyFamilySpec(checkpoint::Family::Mixtral);
    test::writeTinyModel(root / "a", spec);
    pipeline::AnalysisRequest run;
    run.model_dir = root / "a";
    run.ids = {3, 1, 4, 1, 5};
    run.analyses = pipeline::parseAnalyses("routing");
    run.device = torch_support::DevicePreference::Cpu;
    run.output = root / "a.h5";
    pipeline::runAnalysis(run, {});
    namespace layout = results::layout;
    namespace compare = results::layout::compare;
    const results::ResultsReader source = results::ResultsReader::open(run.output);
    results::RunMetadata metadata = source.metadata();
    metadata.analyses = {"compare"};
    results::ResultsWriter writer = results::ResultsWriter::create(root / "bad.h5", metadata);
    writer.setAttribute(compare::kGroup, compare::kModels, AttributeValue(std::vector<std::string>{"a", "gone"}));
    writer.setAttribute(compare::kGroup, compare::kReference, int64_t{0});
    writer.copyFileInto(run.output, layout::modelGroup(0));
    writer.writeInt(layout::comparePath(1, compare::kMoeLayers), IndexArray({2}, {0, 1}));
    writer.writeFloat(layout::comparePath(1, compare::kRoutingAgreement), FloatArray({3, 2}, std::vector<float>(6, 0.5f)));
    writer.writeInt(layout::comparePath(1, compare::kTokensDiffering), IndexArray({2, 5}, std::vector<int64_t>(10, 1)));
    writer.writeFloat(layout::comparePath(1, compare::kOutputCosine), FloatArray({2, 4}, std::vector<float>(8, 0.1f)));
    writer.writeInt(layout::compareLayerPath(1, 0, compare::kExpertMatch), IndexArray({4}, {0, 1, 9, -2}));
    writer.writeFloat(layout::compareLayerPath(1, 0, compare::kWeightsSimilarity, layout::Projection::Up),
                      FloatArray({3, 3}, std::vector<float>(9, 1.0f)));
    writer.finish();

    const view_data::LoadedResults loaded = view_data::loadResults(QString::fromStdString((root / "bad.h5").string()));
    QCOMPARE(loaded.data.routing.tokenCount(), 5);
    QVERIFY(loaded.data.comparison);
    const ComparisonData& comparison = *loaded.data.comparison;
    QCOMPARE(comparison.differences.size(), 1);
    const ModelDifference& d = comparison.differences[0];
    QVERIFY(d.agreement.isEmpty());           // [3, 2] is not [2 layers, 4 measures]
    QCOMPARE(d.tokens, 5);
    QVERIFY(d.differs(1, 4));
    QVERIFY(d.output_cosine.isEmpty());       // [2, 4] is not [2, 5 tokens]
    QVERIFY(d.experts[0].match.isEmpty());    // 9 and -2 are no experts
    QVERIFY(d.experts[0].matrices.isEmpty()); // 3 x 3 is not 4 x 4
    QVERIFY(comparison.routing.value(1).layers.isEmpty());  // /models/1 is not there
    // Every view draws what is left without reading past it.
    SelectionModel selection;
    AgreementMapView map(&selection);
    map.setRunData(loaded.data);
    QVERIFY(std::isnan(map.cellValue(0, 0)));
    SaturationCurveView curves(&selection);
    curves.setRunData(loaded.data);
    QVERIFY(std::isnan(curves.value(0, 0)));
    CrossSimilarityView cross(&selection);
    cross.setRunData(loaded.data);
    QCOMPARE(cross.expertCount(), 0);
    TokenInspector inspector(&selection);
    inspector.setRunData(loaded.data);
    QCOMPARE(inspector.sideBySide()->model()->index(0, 2).data().toString(), QStringLiteral("no routing"));
  }

  // A real file: the pipeline compares a tiny model with a copy whose experts are permuted;
  // the views' data holds both models' routing on the same tokens, the matching (the
  // permutation inverted, as docs/analyses.md defines it) and tokens_differing rows that agree
  // with the two routings as read back.
  void loadsARealComparisonFile() {
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const test::TinySpec spec = test::tinyFamilySpec(checkpoint::Family::Mixtral);
    test::writeTinyModel(root / "a", spec);
    test::writeTinyModelCopy(root / "a", root / "permuted", spec, {2, 0, 3, 1});
    pipeline::ComparisonRequest request;
    request.models = {root / "permuted", root / "a"};
    request.ids = {3, 1, 4, 1, 5, 9, 2, 6};
    request.analyses = pipeline::parseAnalyses("routing");
    request.device = torch_support::DevicePreference::Cpu;
    request.dtype = torch_support::ComputeDType::Float32;
    request.output = root / "cmp.h5";
    pipeline::runComparison(request, {});

    const view_data::LoadedResults loaded = view_data::loadResults(QString::fromStdString(request.output.string()));
    QVERIFY(loaded.data.comparison);
    const ComparisonData& comparison = *loaded.data.comparison;
    QCOMPARE(comparison.models, (QStringList{"permuted", "a"}));
    QCOMPARE(comparison.reference, 1);
    QCOMPARE(comparison.differences.size(), 1);
    const ModelDifference& d = comparison.differences[0];
    QCOMPARE(d.model, 0);
    QCOMPARE(d.layers, loaded.data.layers());
    QCOMPARE(d.tokens, 8);
    for (int row = 0; row < d.rowCount(); ++row) {
      QCOMPARE(d.experts[row].match, (QVector<int>{1, 3, 0, 2}));
      QVERIFY(d.experts[row].matrices.value(QStringLiteral("weights_similarity/gate")).isConsistent());
      const LayerRoutingData* reference = comparison.layerRouting(1, d.layers[row]);
      const LayerRoutingData* other = comparison.layerRouting(0, d.layers[row]);
      QVERIFY(reference && other);
      for (int t = 0; t < 8; ++t) QCOMPARE(d.differs(row, t), topkOverlap(*reference, *other, t) < 1.0);
      // The permuted copy routes to the same experts under their new numbers: f = to_copy[e].
      const int to_copy[] = {2, 0, 3, 1};
      for (int t = 0; t < 8; ++t) QCOMPARE(other->topExpert(t), to_copy[reference->topExpert(t)]);
    }
    QCOMPARE(d.output_cosine.size(), d.rowCount() * 8);
  }
};

QTEST_MAIN(TestComparisonViews)
#include "test_comparison_views.moc"
