// The PCA scatter (S5) against planted points: one graph per expert in the token strip's
// colours, "F" apart, clicks select the expert, level and projection switch the data; and the
// loading of S5 from a results file written here, with neuron-level thinning and a damaged
// owner index.
#include <QApplication>
#include <QComboBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "app/view_data/results_loading.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/gui/sample_run.h"
#include "widgets/colormaps.h"
#include "widgets/pca_data.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/selection_model.h"

using namespace moescope;
using namespace moescope::widgets;
namespace layout = results::layout;

namespace {

PcaPoints points(const QVector<float>& x, const QVector<float>& y, const QVector<int>& owner, const QStringList& labels) {
  PcaPoints p;
  p.x = x;
  p.y = y;
  p.owner = owner;
  p.labels = labels;
  p.total = x.size();
  return p;
}

// Layer 4: matrix level, up: E0 at (0, 0), E1 at (10, 0), F at (0, 10). Neuron level, gate:
// three neurons of E0 near (-5, -5), three of E1 near (5, 5).
QVector<LayerPca> sampleLayers() {
  LayerPca layer;
  layer.layer = 4;
  layer.matrix.insert(QStringLiteral("up"), points({0, 10, 0}, {0, 0, 10}, {0, 1, 2},
                                                   {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")}));
  layer.neuron.insert(QStringLiteral("gate"), points({-5, -6, -4, 5, 6, 4}, {-5, -4, -6, 5, 4, 6}, {0, 0, 0, 1, 1, 1},
                                                     {QStringLiteral("0"), QStringLiteral("1")}));
  return {layer};
}

results::RunMetadata metadata(int experts) {
  results::RunMetadata meta;
  meta.model = "/models/planted";
  meta.family = "mixtral";
  meta.layers = 4;
  meta.experts = experts;
  meta.top_k = 1;
  meta.dtype = "float32";
  meta.device = "cpu";
  return meta;
}

}  // namespace

class TestPcaView : public QObject {
  Q_OBJECT

 private slots:
  void drawsEachExpertInItsColour() {
    SelectionModel selection;
    PcaScatterView view(&selection);
    view.resize(700, 500);
    view.setRunData(test::withPca(sampleLayers()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.level(), PcaScatterView::Level::Matrix);
    QCOMPARE(view.projection(), QStringLiteral("up"));
    const PcaPoints* shown = view.currentPoints();
    QVERIFY(shown);
    QCOMPARE(shown->size(), qsizetype(3));
    for (int owner = 0; owner < 3; ++owner) {
      QCPGraph* graph = view.ownerGraph(owner);
      QVERIFY(graph);
      QCOMPARE(graph->data()->size(), 1);
    }
    QCOMPARE(view.ownerGraph(1)->data()->begin()->key, 10.0);
    // The token strip's colours: expert e is expertColor(e); F is none of them.
    QCOMPARE(view.ownerGraph(0)->scatterStyle().brush().color(), expertColor(0));
    QCOMPARE(view.ownerGraph(1)->scatterStyle().brush().color(), expertColor(1));
    QCOMPARE(view.ownerName(2), QStringLiteral("F"));
    QCOMPARE(view.ownerExpert(2), -1);
    QVERIFY(view.ownerGraph(2)->scatterStyle().brush().color() != expertColor(0));
    QCOMPARE(view.tableData().rows.size(), 3);
    QCOMPARE(view.tableData().rows[1], (QStringList{QStringLiteral("1"), QStringLiteral("10"), QStringLiteral("0")}));
  }

  // Neuron level: the legend shows a full-colour marker per expert (the dots themselves are small
  // and faint), the selected expert's dots get a dark rim, and cloud names that would cover one
  // another are not drawn over each other: the selected expert's name wins, zooming in shows both.
  void neuronLabelsLegendAndSelection() {
    LayerPca layer;
    layer.layer = 2;
    // E0's cloud centred on (0, 0), E1's on (0.01, 0): at the whole view their names coincide.
    layer.neuron.insert(QStringLiteral("up"), points({-1, 1, -0.99f, 1.01f}, {-1, 1, 1, -1}, {0, 0, 1, 1},
                                                     {QStringLiteral("0"), QStringLiteral("1")}));
    SelectionModel selection;
    PcaScatterView view(&selection);
    view.resize(700, 500);
    view.setRunData(test::withPca({layer}));
    view.setLevel(PcaScatterView::Level::Neuron);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.replot(QCustomPlot::rpImmediateRefresh);

    QCOMPARE(view.legend->itemCount(), 2);
    for (int owner = 0; owner < 2; ++owner) {
      QVERIFY(view.legend->hasItemWithPlottable(view.legendMarker(owner)));
      QVERIFY(!view.legend->hasItemWithPlottable(view.ownerGraph(owner)));
      QVERIFY(view.legendMarker(owner)->scatterStyle().size() >= 8);
      QCOMPARE(view.legendMarker(owner)->scatterStyle().brush().color().alpha(), 255);
      QVERIFY(view.legendMarker(owner)->data()->isEmpty());
    }
    QCOMPARE(view.ownerLabel(0)->visible() + view.ownerLabel(1)->visible(), 1);
    QVERIFY(view.ownerLabel(0)->visible());  // in owner order when nothing is selected

    selection.setExpert(1);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(view.ownerLabel(1)->visible());
    QVERIFY(!view.ownerLabel(0)->visible());
    QVERIFY(view.ownerGraph(1)->scatterStyle().pen().style() != Qt::NoPen);
    QCOMPARE(view.ownerGraph(0)->scatterStyle().pen().style(), Qt::NoPen);

    // Zoomed in to 0.1 units across, the centres are 70 px apart: both names show.
    view.xAxis->setRange(-0.05, 0.06);
    view.replot(QCustomPlot::rpImmediateRefresh);
    QVERIFY(view.ownerLabel(0)->visible() && view.ownerLabel(1)->visible());
  }

  void clickingAPointSelectsItsExpert() {
    SelectionModel selection;
    PcaScatterView view(&selection);
    view.resize(700, 500);
    view.setRunData(test::withPca(sampleLayers()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.replot();
    const auto e1 = view.pointPixel(1);
    QVERIFY(e1);
    QCOMPARE(view.pointAt(*e1), std::optional<int>(1));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, *e1);
    QCOMPARE(selection.expert(), 1);
    // F is no routed expert: clicking it keeps the selection.
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, *view.pointPixel(2));
    QCOMPARE(selection.expert(), 1);
    // Far from every point: nothing.
    QVERIFY(!view.pointAt(*e1 + QPoint(40, 40)));
  }

  void aHiddenViewCatchesUpWhenShown() {
    // Two layers with E1 at x = 10 in layer 4 and at x = 30 in layer 6.
    QVector<LayerPca> layers = sampleLayers();
    LayerPca later = layers[0];
    later.layer = 6;
    later.matrix[QStringLiteral("up")].x = {0, 30, 0};
    layers.append(later);
    SelectionModel selection;
    QTabWidget tabs;
    tabs.resize(700, 500);
    tabs.addTab(new QWidget, QStringLiteral("front"));
    auto* view = new PcaScatterView(&selection);
    view->setRunData(test::withPca(layers));
    tabs.addTab(view, QStringLiteral("pca"));
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    QVERIFY(!view->isVisible());
    QCOMPARE(view->ownerGraph(1)->data()->begin()->key, 10.0);
    // Behind another tab it waits; shown, it draws the selected layer.
    selection.setLayer(1);
    QCOMPARE(view->ownerGraph(1)->data()->begin()->key, 10.0);
    tabs.setCurrentIndex(1);
    QVERIFY(view->isVisible());
    QCOMPARE(view->ownerGraph(1)->data()->begin()->key, 30.0);
    QCOMPARE(view->ownerGraph(0)->data()->begin()->key, 0.0);
    QCOMPARE(view->ownerGraph(2)->data()->begin()->value, 10.0);
    // In sight it follows at once.
    selection.setLayer(0);
    QCOMPARE(view->ownerGraph(1)->data()->begin()->key, 10.0);
  }

  void levelAndProjectionSwitchTheData() {
    SelectionModel selection;
    PcaScatterView view(&selection);
    view.resize(700, 500);
    view.setRunData(test::withPca(sampleLayers()));
    view.setLevel(PcaScatterView::Level::Neuron);
    QVERIFY(!view.currentPoints());  // no neuron-level "up" at this layer
    view.setProjection(QStringLiteral("gate"));
    const PcaPoints* shown = view.currentPoints();
    QVERIFY(shown);
    QCOMPARE(shown->size(), qsizetype(6));
    QCOMPARE(view.ownerGraph(0)->data()->size(), 3);
    QCOMPARE(view.ownerGraph(1)->data()->size(), 3);
    QVERIFY(view.legend->visible());
    // The selected expert's cloud stays vivid, the other fades.
    selection.setExpert(1);
    QVERIFY(view.ownerGraph(1)->scatterStyle().brush().color().alpha() > view.ownerGraph(0)->scatterStyle().brush().color().alpha());
    view.setProjection(QStringLiteral("down"));
    QVERIFY(!view.currentPoints());
    selection.setLayer(3);  // no such layer
    QVERIFY(!view.currentPoints());
  }

  // S5 read from a file: matrix level as stored, neuron level thinned to every n-th neuron
  // with the right owners, and a projection whose owner index points past its labels skipped.
  void loadsProjectionsFromAResultsFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("pca.h5")).toStdString();
    constexpr int64_t kNeurons = 45001;  // three owners of 15000, 15000 and 15001 neurons
    {
      auto writer = results::ResultsWriter::create(path, metadata(2));
      writer.writeInt(layout::kTokenIds, IndexArray({2}, {5, 6}));
      FloatArray matrix({3, 2}, {0.5f, -1.0f, 2.0f, 0.25f, -3.0f, 4.0f});
      matrix.labels = {"0", "1", "F"};
      writer.writeFloat(layout::layerPath(2, layout::ds::kPcaMatrix, layout::Projection::Up), matrix);
      FloatArray neurons({kNeurons, 2});
      IndexArray owners({kNeurons});
      for (int64_t i = 0; i < kNeurons; ++i) {
        neurons.at(i, 0) = float(i);
        neurons.at(i, 1) = -float(i);
        owners.values[size_t(i)] = i < 15000 ? 0 : i < 30000 ? 1 : 2;
      }
      owners.labels = {"0", "1", "F"};
      writer.writeFloat(layout::layerPath(2, layout::ds::kPcaNeuron, layout::Projection::Up), neurons);
      writer.writeInt(layout::layerPath(2, layout::ds::kPcaNeuronExpert), owners);
      // Layer 5: an owner index past the labels.
      writer.writeFloat(layout::layerPath(5, layout::ds::kPcaMatrix, layout::Projection::Gate), matrix);
      writer.writeFloat(layout::layerPath(5, layout::ds::kPcaNeuron, layout::Projection::Gate),
                        FloatArray({2, 2}, {1, 2, 3, 4}));
      IndexArray bad({2}, {0, 7});
      bad.labels = {"0", "1"};
      writer.writeInt(layout::layerPath(5, layout::ds::kPcaNeuronExpert), bad);
      writer.finish();
    }
    const view_data::LoadedResults loaded = view_data::loadResults(QString::fromStdString(path));
    QCOMPARE(loaded.data.pca.size(), qsizetype(2));
    QCOMPARE(loaded.data.pca[0].layer, 2);
    const PcaPoints matrix = loaded.data.pca[0].matrix.value(QStringLiteral("up"));
    QCOMPARE(matrix.x, (QVector<float>{0.5f, 2.0f, -3.0f}));
    QCOMPARE(matrix.y, (QVector<float>{-1.0f, 0.25f, 4.0f}));
    QCOMPARE(matrix.owner, (QVector<int>{0, 1, 2}));
    QCOMPARE(matrix.labels, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")}));

    const PcaPoints neuron = loaded.data.pca[0].neuron.value(QStringLiteral("up"));
    // ceil(45001 / 20000) = 3: rows 0, 3, 6, ..., 45000.
    QCOMPARE(neuron.stride, 3);
    QCOMPARE(neuron.total, qsizetype(kNeurons));
    QCOMPARE(neuron.size(), qsizetype(15001));
    for (qsizetype k = 0; k < neuron.size(); k += 997) {
      const int64_t row = 3 * k;
      QCOMPARE(neuron.x[k], float(row));
      QCOMPARE(neuron.y[k], -float(row));
      QCOMPARE(neuron.owner[k], row < 15000 ? 0 : row < 30000 ? 1 : 2);
    }
    QCOMPARE(neuron.owner.last(), 2);
    // Point k is file row 3k: row 15003 is neuron 3 of E1, row 45000 neuron 15000 of F.
    QCOMPARE(neuron.owner_start, (QVector<qsizetype>{0, 15000, 30000}));
    QCOMPARE(neuron.neuronOf(5001), qsizetype(3));
    QCOMPARE(neuron.neuronOf(15000), qsizetype(15000));
    QCOMPARE(neuron.neuronOf(0), qsizetype(0));

    QCOMPARE(loaded.data.pca[1].layer, 5);
    QVERIFY(loaded.data.pca[1].matrix.contains(QStringLiteral("gate")));
    QVERIFY(!loaded.data.pca[1].neuron.contains(QStringLiteral("gate")));
  }
};

QTEST_MAIN(TestPcaView)
#include "test_pca_view.moc"
