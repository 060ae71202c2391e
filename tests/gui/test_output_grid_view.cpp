// The per-token output similarity grid (D2's small multiples) against planted cosines: which
// layers and tokens it shows (automatic and typed), the panels' values and titles from the
// routing, one colour scale over all panels off the diagonal, clicks and hovers, the table; and
// the per-token cosines read from a results file a token at a time.
#include <QHelpEvent>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QToolTip>
#include <QtTest>
#include <cmath>

#include "app/view_data/results_loading.h"
#include "app/view_data/token_slice_sources.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/gui/sample_run.h"
#include "widgets/figure_catalog.h"
#include "widgets/layer_list.h"
#include "widgets/output_similarity_grid_view.h"
#include "widgets/selection_model.h"

using namespace moescope;
using namespace moescope::widgets;
namespace layout = results::layout;

namespace {

constexpr int kRows = 5;  // four experts and F

// The planted cosine of rows r != c at MoE layer index `layer` for `token`: symmetric, some
// negative, different in every panel; 1 on the diagonal.
float planted(int layer, int token, int r, int c) {
  if (r == c) return 1.0f;
  return 0.1f * float(r + c) - 0.25f * float(layer) + 0.05f * float(token) - 0.3f;
}

class PlantedCosines : public TokenSliceSource {
 public:
  PlantedCosines(QVector<int> decoder_layers, int tokens, QVector<int> without = {})
      : layers_(std::move(decoder_layers)), tokens_(tokens), without_(std::move(without)) {}
  bool hasLayer(int index) const override { return index >= 0 && index < layers_.size() && !without_.contains(index); }
  TokenSlice slice(int index, int token) const override {
    if (!hasLayer(index) || token < 0 || token >= tokens_) return {};
    TokenSlice s;
    s.layer = layers_[index];
    s.token = token;
    s.rows = s.columns = kRows;
    s.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("F")};
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kRows; ++c) s.values.append(planted(index, token, r, c));
    return s;
  }

 private:
  QVector<int> layers_;
  int tokens_;
  QVector<int> without_;
};

// Planted cosines that count the slices asked for (a file source reads each from disk).
class CountingCosines : public PlantedCosines {
 public:
  using PlantedCosines::PlantedCosines;
  TokenSlice slice(int index, int token) const override {
    ++reads;
    return PlantedCosines::slice(index, token);
  }
  mutable int reads = 0;
};

// The sample run (layers 3 and 5, four experts, top-2, three tokens) with planted cosines.
RunData sampleGrid() {
  RunData data = test::withRouting(test::sampleRouting());
  data.output_similarity = std::make_shared<PlantedCosines>(QVector<int>{3, 5}, 3);
  return data;
}

// `layers` MoE layers (decoder 0, 2, 4, ...) and `tokens` tokens, each token choosing E0, E1.
RunData longRun(int layers, int tokens, QVector<int> without = {}) {
  RoutingData routing;
  routing.experts = 4;
  routing.top_k = 2;
  for (int t = 0; t < tokens; ++t) routing.tokens << QStringLiteral("t%1").arg(t), routing.token_ids << t;
  QVector<int> decoder;
  for (int l = 0; l < layers; ++l) {
    LayerRoutingData layer;
    layer.layer = 2 * l;
    layer.experts = 4;
    layer.top_k = 2;
    for (int t = 0; t < tokens; ++t) {
      layer.topk_ids << 0 << 1;
      layer.topk_weights << 0.5f << 0.5f;
      layer.gate_scores << 0.4f << 0.3f << 0.2f << 0.1f;
    }
    routing.layers.append(layer);
    decoder.append(2 * l);
  }
  RunData data = test::withRouting(routing);
  data.output_similarity = std::make_shared<PlantedCosines>(decoder, tokens, std::move(without));
  return data;
}

}  // namespace

class TestOutputGridView : public QObject {
  Q_OBJECT

 private slots:
  void tokenListsAreParsed() {
    QString error;
    QCOMPARE(*parseTokenList(QStringLiteral("3, 1-2"), 5, &error), (QVector<int>{1, 2, 3}));
    QCOMPARE(*parseTokenList(QStringLiteral(" 4 ,4"), 5, &error), (QVector<int>{4}));
    QVERIFY(parseTokenList(QString(), 5, &error)->isEmpty());
    QVERIFY(!parseTokenList(QStringLiteral("5"), 5, &error));
    QVERIFY2(error.contains(QLatin1String("0-4")), qPrintable(error));
    QVERIFY(!parseTokenList(QStringLiteral("-1"), 5, &error));
    QVERIFY(error.contains(QLatin1String("\"-1\"")));
    QVERIFY(!parseTokenList(QStringLiteral("3-1"), 5, &error));
    QVERIFY(!parseTokenList(QStringLiteral("two"), 5, &error));
    QVERIFY(!parseTokenList(QStringLiteral("0-2000000000"), 5, &error));
  }

  // Rows are the layers, columns the tokens; each panel holds its token's cosines at its layer
  // and is titled with the token's chosen experts, best first.
  void panelsHoldEachTokensCosinesAtEachLayer() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    view.resize(900, 700);
    view.setRunData(sampleGrid());
    QCOMPARE(view.shownLayers(), (QVector<int>{0, 1}));
    QCOMPARE(view.shownTokens(), (QVector<int>{0, 1, 2}));
    QCOMPARE(view.panels().size(), qsizetype(6));
    for (int row = 0; row < 2; ++row)
      for (int column = 0; column < 3; ++column) {
        const auto* panel = view.panel(row, column);
        QVERIFY(panel);
        QCOMPARE(panel->layer_index, row);
        QCOMPARE(panel->token, column);
        for (int r = 0; r < kRows; ++r)
          for (int c = 0; c < kRows; ++c) QCOMPARE(view.cellValue(*panel, r, c), double(planted(row, column, r, c)));
      }
    // Layer 3: token 0 chose E2 then E0; layer 5: token 1 chose E0 then E1, token 2 E2 then E1.
    QCOMPARE(view.panelTitle(0, 0), QStringLiteral("exp 2,0"));
    QCOMPARE(view.panelTitle(0, 2), QStringLiteral("exp 3,2"));
    QCOMPARE(view.panelTitle(1, 1), QStringLiteral("exp 0,1"));
    QCOMPARE(view.panelTitle(1, 2), QStringLiteral("exp 2,1"));
    // The layer left of each row, the token's text under each column, expert names outside only.
    QCOMPARE(view.panel(0, 0)->rect->axis(QCPAxis::atLeft)->label(), QStringLiteral("Layer 3"));
    QCOMPARE(view.panel(1, 0)->rect->axis(QCPAxis::atLeft)->label(), QStringLiteral("Layer 5"));
    QVERIFY(view.panel(0, 1)->rect->axis(QCPAxis::atLeft)->label().isEmpty());
    QVERIFY(!view.panel(0, 1)->rect->axis(QCPAxis::atLeft)->tickLabels());
    QVERIFY(view.panel(1, 2)->rect->axis(QCPAxis::atBottom)->label().contains(QStringLiteral("▁source")));
    QVERIFY(!view.panel(0, 2)->rect->axis(QCPAxis::atBottom)->tickLabels());
  }

  // One scale for every panel, from the values off the diagonal of all of them; the diagonal in
  // its own grey map; fixed limits as given.
  void oneColourScaleOffTheDiagonal() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    view.resize(900, 700);
    view.setRunData(sampleGrid());
    double lower = 1e9, upper = -1e9;
    for (int layer = 0; layer < 2; ++layer)
      for (int token = 0; token < 3; ++token)
        for (int r = 0; r < kRows; ++r)
          for (int c = 0; c < kRows; ++c)
            if (r != c) lower = qMin(lower, double(planted(layer, token, r, c))), upper = qMax(upper, double(planted(layer, token, r, c)));
    // Worked out: the smallest is layer 1, token 0, pair (0,1): 0.1 - 0.25 - 0.3 = -0.45; the
    // largest layer 0, token 2, pair (3,4): 0.7 + 0.1 - 0.3 = 0.5.
    QVERIFY(qAbs(lower - -0.45) < 1e-6 && qAbs(upper - 0.5) < 1e-6);
    QVERIFY(qAbs(view.shownRange().lower - lower) < 1e-6);
    QVERIFY(qAbs(view.shownRange().upper - upper) < 1e-6);
    for (const auto& panel : view.panels()) {
      QCOMPARE(panel.map->colorScale(), view.colorScale());
      QVERIFY(std::isnan(panel.map->data()->cell(2, 2)));
      QVERIFY(!std::isnan(panel.diagonal->data()->cell(2, 2)));
      QVERIFY(std::isnan(panel.diagonal->data()->cell(1, 2)));
      QVERIFY(!std::isnan(panel.map->data()->cell(1, 2)));
    }
    view.setColourRange(ColourRange{ColourRange::Mode::MinusOneToOne});
    QCOMPARE(view.shownRange().lower, -1.0);
    QCOMPARE(view.shownRange().upper, 1.0);
  }

  // Automatic: the first, middle and last layers that have cosines, and the window of three
  // tokens holding the selected one, so a click inside the grid does not move it.
  void automaticChoiceFollowsTheSelection() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    view.resize(900, 700);
    view.setRunData(longRun(6, 7, {1}));  // layer index 1 has no cosines
    QCOMPARE(view.shownLayers(), (QVector<int>{0, 3, 5}));
    QCOMPARE(view.shownTokens(), (QVector<int>{0, 1, 2}));
    selection.setToken(4);
    QCOMPARE(view.shownTokens(), (QVector<int>{3, 4, 5}));
    selection.setToken(6);
    QCOMPARE(view.shownTokens(), (QVector<int>{4, 5, 6}));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, view.cellCenter(1, 0, 2, 3));
    QCOMPARE(selection.layer(), 3);
    QCOMPARE(selection.token(), 4);
    QCOMPARE(view.shownTokens(), (QVector<int>{4, 5, 6}));
    // Hovering a cell names its layer, token, pair and cosine: layer index 3 is decoder 6, the
    // cell (2, 3) of token 4 holds 0.1 * 5 - 0.75 + 0.2 - 0.3 = -0.35.
    const QPoint pos = view.cellCenter(1, 0, 2, 3);
    QHelpEvent help(QEvent::ToolTip, pos, view.mapToGlobal(pos));
    QApplication::sendEvent(&view, &help);
    QVERIFY2(QToolTip::text().contains(QStringLiteral("Layer 6")), qPrintable(QToolTip::text()));
    QVERIFY(QToolTip::text().contains(QStringLiteral("experts 2 and 3: cosine -0.350")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("t4")));
    QToolTip::hideText();
    const auto hit = view.hitAt(view.cellCenter(2, 1, 4, 0));
    QVERIFY(hit);
    QCOMPARE(hit->panel_row, 2);
    QCOMPARE(hit->panel_column, 1);
    QCOMPARE(hit->row, 4);
    QCOMPARE(hit->column, 0);
  }

  // Panels that keep their layer and token keep their slice: selecting inside the grid reads
  // nothing again; a new token reads only its own column; new data reads every panel.
  void panelsReadOnlyWhatChanged() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    RunData data = longRun(3, 7);
    auto counting = std::make_shared<CountingCosines>(QVector<int>{0, 2, 4}, 7);
    data.output_similarity = counting;
    view.setRunData(data);
    QCOMPARE(counting->reads, 9);
    selection.setToken(2);
    selection.setLayer(1);
    QCOMPARE(counting->reads, 9);
    view.setChosenTokens({2, 5});  // two columns instead of three: 3 x 2 new panels
    QCOMPARE(view.shownTokens(), (QVector<int>{2, 5}));
    QCOMPARE(counting->reads, 9 + 6);
    view.setChosenTokens({2, 6});  // the first column keeps token 2: only the second is read
    QCOMPARE(counting->reads, 9 + 6 + 3);
    view.setRunData(data);  // the empty Tokens field makes it automatic again: 3 x 3, all read
    QCOMPARE(view.shownTokens(), (QVector<int>{0, 1, 2}));
    QCOMPARE(counting->reads, 9 + 6 + 3 + 9);
  }

  // Typed lists choose the rows and columns; a refused list says why and keeps the panels.
  void typedListsChooseThePanels() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    view.resize(900, 700);
    view.setRunData(longRun(6, 10, {1}));
    view.layersEdit()->setText(QStringLiteral("10, 0"));
    view.tokensEdit()->setText(QStringLiteral("7, 2"));
    emit view.tokensEdit()->editingFinished();
    QCOMPARE(view.shownLayers(), (QVector<int>{0, 5}));
    QCOMPARE(view.shownTokens(), (QVector<int>{2, 7}));
    QCOMPARE(view.panel(1, 1)->token, 7);
    QVERIFY(view.inputProblem().isEmpty());

    view.layersEdit()->setText(QStringLiteral("2"));  // decoder layer 2 has no cosines
    emit view.layersEdit()->editingFinished();
    QCOMPARE(view.inputProblem(), QStringLiteral("Layer 2 has no per-token output similarity."));
    QCOMPARE(view.shownLayers(), (QVector<int>{0, 5}));
    view.layersEdit()->clear();
    view.tokensEdit()->setText(QStringLiteral("0-8"));  // more than the grid holds
    emit view.tokensEdit()->editingFinished();
    QVERIFY(view.inputProblem().contains(QString::number(OutputSimilarityGridView::kMaxTokens)));
    QCOMPARE(view.shownLayers(), (QVector<int>{0, 3, 5}));  // the layers went back to automatic
    QCOMPARE(view.shownTokens(), (QVector<int>{2, 7}));
    view.tokensEdit()->setText(QStringLiteral("12"));
    emit view.tokensEdit()->editingFinished();
    QVERIFY(view.inputProblem().contains(QLatin1String("0-9")));
    view.tokensEdit()->clear();
    emit view.tokensEdit()->editingFinished();
    QVERIFY(view.inputProblem().isEmpty());
    QCOMPARE(view.shownTokens(), (QVector<int>{0, 1, 2}));
  }

  void tableHoldsEveryPanel() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    view.setRunData(sampleGrid());
    view.setChosenTokens({2});
    const DataTable table = view.tableData();
    QCOMPARE(table.columns.mid(0, 5), (QStringList{QStringLiteral("layer"), QStringLiteral("token"), QStringLiteral("text"),
                                                   QStringLiteral("chosen"), QStringLiteral("expert")}));
    QCOMPARE(table.columns.last(), QStringLiteral("F"));
    QCOMPARE(table.rows.size(), qsizetype(2 * kRows));
    const QStringList& f_row = table.rows[kRows + 4];  // layer 5, token 2, row F
    QCOMPARE(f_row[0], QStringLiteral("5"));
    QCOMPARE(f_row[1], QStringLiteral("2"));
    QCOMPARE(f_row[3], QStringLiteral("2,1"));
    QCOMPARE(f_row[4], QStringLiteral("F"));
    QVERIFY(qAbs(f_row[5].toDouble() - planted(1, 2, 4, 0)) < 1e-6);
  }

  void saysWhyWhenThereIsNothing() {
    SelectionModel selection;
    OutputSimilarityGridView view(&selection);
    QVERIFY(view.panels().isEmpty());
    QVERIFY(!view.colorScale()->visible());
    QVERIFY(view.tableData().isEmpty());
    view.setRunData(test::withRouting(test::sampleRouting()));
    QVERIFY(view.panels().isEmpty());
    const auto* title = qobject_cast<QCPTextElement*>(view.plotLayout()->element(1, 0));
    QVERIFY(title && title->text().contains(QLatin1String("no per-token output similarity")));
    // A live run that has not handed out cosines yet says they are on their way.
    RunData pending = sampleGrid();
    pending.output_similarity = std::make_shared<PlantedCosines>(QVector<int>{3, 5}, 3, QVector<int>{0, 1});
    view.setRunData(pending);
    QVERIFY(view.panels().isEmpty());
    QVERIFY(title->text().contains(QLatin1String("appears as its layers are done")));
    QVERIFY(!missingFigureData(test::withRouting(test::sampleRouting()),
                               *findFigureKind(QStringLiteral("similarity-outputs-tokens")), -1, -1)
                 .isEmpty());
  }

  // The figure draws the layers and tokens its stage was given.
  void figureStageChoosesThePanels() {
    FigureStage stage(sampleGrid());
    stage.setTokenGrid({1}, {0, 2});
    auto* view = qobject_cast<OutputSimilarityGridView*>(
        stage.prepare(*findFigureKind(QStringLiteral("similarity-outputs-tokens")), -1, 1));
    QVERIFY(view);
    QCOMPARE(view->shownLayers(), (QVector<int>{1}));
    QCOMPARE(view->shownTokens(), (QVector<int>{0, 2}));
    stage.setTokenGrid({}, {});
    view = qobject_cast<OutputSimilarityGridView*>(
        stage.prepare(*findFigureKind(QStringLiteral("similarity-outputs-tokens")), -1, 1));
    QCOMPARE(view->shownTokens(), (QVector<int>{0, 1, 2}));
  }

  // [T=2, E'=3, E'=3] stored at layer 3: a token's matrix is its row; loadResults hands out the
  // file's source; a run without the dataset has none.
  void readsOneTokensCosinesFromTheResultsFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("out.h5")).toStdString();
    {
      results::RunMetadata metadata;
      metadata.model = "/models/planted";
      metadata.family = "mixtral";
      metadata.layers = 4;
      metadata.experts = 2;
      metadata.top_k = 1;
      metadata.dtype = "float32";
      metadata.device = "cpu";
      auto writer = results::ResultsWriter::create(path, metadata);
      writer.writeInt(layout::kTokenIds, IndexArray({2}, {4, 5}));
      FloatArray cosines({2, 3, 3});
      for (int t = 0; t < 2; ++t)
        for (int r = 0; r < 3; ++r)
          for (int c = 0; c < 3; ++c) cosines.values[size_t((t * 3 + r) * 3 + c)] = planted(0, t, r, c);
      cosines.labels = {"0", "1", "F"};
      writer.writeFloat(layout::layerPath(3, layout::ds::kOutputSimilarity), cosines);
      writer.finish();
    }
    const view_data::LoadedResults loaded = view_data::loadResults(QString::fromStdString(path));
    QVERIFY(loaded.data.output_similarity);
    QVERIFY(!loaded.data.activations);
    const TokenSlice slice = loaded.data.output_similarity->slice(0, 1);
    QVERIFY(slice.isConsistent());
    QCOMPARE(slice.rows, 3);
    QCOMPARE(slice.labels.last(), QStringLiteral("F"));
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(slice.at(r, c), planted(0, 1, r, c));
  }
};

QTEST_MAIN(TestOutputGridView)
#include "test_output_grid_view.moc"
