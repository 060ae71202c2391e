#include "widgets/view_table.h"

#include <QCoreApplication>
#include <algorithm>

#include "widgets/activation_heatmap_view.h"
#include "widgets/agreement_map_view.h"
#include "widgets/cross_similarity_view.h"
#include "widgets/saturation_curve_view.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/gate_fit_view.h"
#include "widgets/gate_score_chart.h"
#include "widgets/output_similarity_grid_view.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_overview_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/run_data.h"
#include "widgets/similarity_heatmap_view.h"

namespace moescope::widgets {

namespace {

struct ViewTable {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::ViewTable)
};

// --- What each view's figures need of the data -------------------------------------------

QString noToken(const RunData& data, int token) {
  if (token >= 0 && token < data.routing.tokenCount()) return {};
  return ViewTable::tr("token %1 is out of range (the text has %n token(s))", nullptr, data.routing.tokenCount()).arg(token);
}

QString missingRouting(const RunData& data, const FigureKind& kind, int layer_index, int token) {
  if (!data.routing.hasLayer(layer_index) || !data.routing.layers[layer_index].isConsistent() ||
      data.routing.tokenCount() == 0)
    return ViewTable::tr("layer %1 has no routing").arg(data.layers().value(layer_index));
  return kind.scope == FigureScope::Token ? noToken(data, token) : QString();
}

const LayerAnalyses* analysesAt(const RunData& data, int layer_index) {
  return layer_index >= 0 && layer_index < data.analyses.size() ? &data.analyses[layer_index] : nullptr;
}

QString missingMatrix(const RunData& data, const FigureKind& kind, int layer_index, int) {
  const LayerAnalyses* layer = analysesAt(data, layer_index);
  const int decoder = data.layers().value(layer_index);
  if (!layer) return ViewTable::tr("layer %1 has no analyses").arg(decoder);
  const auto it = layer->matrices.constFind(kind.measure);
  return it != layer->matrices.cend() && it->isConsistent() ? QString()
                                                            : ViewTable::tr("layer %1 has no %2").arg(decoder).arg(kind.measure);
}

QString missingDiversity(const RunData& data, const FigureKind&, int, int) {
  return data.diversity.isEmpty() ? ViewTable::tr("the run has no diversity curves") : QString();
}

QString missingStatistics(const RunData& data, const FigureKind&, int layer_index, int) {
  const LayerAnalyses* layer = analysesAt(data, layer_index);
  const int decoder = data.layers().value(layer_index);
  if (!layer) return ViewTable::tr("layer %1 has no analyses").arg(decoder);
  return !layer->load.isEmpty() || layer->coactivationSide() > 0
             ? QString()
             : ViewTable::tr("layer %1 has no routing statistics").arg(decoder);
}

QString missingRankCounts(const RunData& data, const FigureKind& kind, int layer_index, int) {
  if (kind.scope == FigureScope::Run)
    return data.diversity.routing.rankCountSide() > 0 ? QString()
                                                      : ViewTable::tr("the run has no rank counts over all layers");
  const LayerAnalyses* layer = analysesAt(data, layer_index);
  const int decoder = data.layers().value(layer_index);
  if (!layer) return ViewTable::tr("layer %1 has no analyses").arg(decoder);
  return layer->rankCountSide() > 0 ? QString() : ViewTable::tr("layer %1 has no rank counts").arg(decoder);
}

QString missingPca(const RunData& data, const FigureKind& kind, int layer_index, int) {
  const LayerPca* pca = layer_index >= 0 && layer_index < data.pca.size() ? &data.pca[layer_index] : nullptr;
  const QMap<QString, PcaPoints>* level = pca ? (kind.neuron_level ? &pca->neuron : &pca->matrix) : nullptr;
  const bool have = level && level->contains(kind.measure) && level->value(kind.measure).isConsistent();
  return have ? QString() : ViewTable::tr("layer %1 has no %2").arg(data.layers().value(layer_index)).arg(kind.name);
}

QString missingActivations(const RunData& data, const FigureKind&, int layer_index, int token) {
  if (!data.activations || !data.activations->hasLayer(layer_index))
    return ViewTable::tr("layer %1 has no activations").arg(data.layers().value(layer_index));
  return noToken(data, token);
}

QString missingOutputGrid(const RunData& data, const FigureKind&, int, int) {
  return data.output_similarity ? QString()
                                : ViewTable::tr("the run has no per-token output similarity (the outputs analysis)");
}

QString missingGateFit(const RunData& data, const FigureKind&, int, int) {
  return data.diversity.gate_regression.isEmpty() && gateRegressionOf(data.analyses).isEmpty()
             ? ViewTable::tr("the run has no gate-embedding fit (gate and neuron-mean analyses)")
             : QString();
}

QString missingLoad(const RunData& data, const FigureKind&, int, int) {
  for (const LayerAnalyses& layer : data.analyses)
    if (!layer.load.isEmpty()) return {};
  return ViewTable::tr("the run has no expert load (routing statistics)");
}

const ModelDifference* firstDifference(const RunData& data) {
  return data.comparison ? data.comparison->difference(0) : nullptr;
}

QString notAComparison() {
  return ViewTable::tr("the results are of one model, not a comparison (moescope-cli compare writes one)");
}

QString missingAgreementMap(const RunData& data, const FigureKind& kind, int, int) {
  const ModelDifference* d = firstDifference(data);
  if (!d) return notAComparison();
  if (kind.measure == QLatin1String("output_cosine") && d->output_cosine.isEmpty())
    return ViewTable::tr("the comparison has no output cosines (C4)");
  if (kind.measure == QLatin1String("output_norm_ratio") && d->output_norm_ratio.isEmpty())
    return ViewTable::tr("the comparison has no output norm ratios (C4)");
  return data.routing.tokenCount() > 0 ? QString() : ViewTable::tr("the comparison has no tokens");
}

QString missingSaturation(const RunData& data, const FigureKind& kind, int, int) {
  const ModelDifference* d = firstDifference(data);
  if (!d) return notAComparison();
  if (kind.name.endsWith(QLatin1String("-over-models")) && data.comparison->differences.size() < 2)
    return ViewTable::tr("the comparison holds two models; over models needs three or more");
  return d->agreement.isEmpty() ? ViewTable::tr("the comparison has no routing agreement (C1)") : QString();
}

QString missingCrossSimilarity(const RunData& data, const FigureKind& kind, int layer_index, int) {
  const ModelDifference* d = firstDifference(data);
  if (!d) return notAComparison();
  const bool any = std::any_of(d->experts.cbegin(), d->experts.cend(),
                               [](const ExpertCorrespondence& c) { return !c.matrices.isEmpty(); });
  if (!any)
    return ViewTable::tr("the comparison has no expert correspondence (C2): a comparison of results files holds "
                         "their routing only; compare the models themselves for it");
  const int decoder = data.layers().value(layer_index);
  const int row = d->rowOf(decoder);
  const bool have = row >= 0 && row < d->experts.size() && d->experts[row].matrices.value(kind.measure).isConsistent();
  return have ? QString() : ViewTable::tr("layer %1 of the comparison has no %2").arg(decoder).arg(kind.measure);
}

// --- Making views and setting them up for one figure --------------------------------------

template <class View>
PlotView* makeView(SelectionModel* selection, QWidget* parent) {
  return new View(selection, parent);
}

PlotView* makeGateScoreChart(SelectionModel*, QWidget* parent) { return new GateScoreChart(parent); }

void resetOnly(PlotView* view, const FigureKind&, const RunData&, int, int, const FigureOptions&) { view->resetView(); }

void setUpSimilarity(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions& options) {
  auto* similarity = static_cast<SimilarityHeatmapView*>(view);
  similarity->setSameRangeForAllLayers(options.same_similarity_range);
  similarity->setColourRange(options.colour_range);
  similarity->setCurrentMeasure(kind.measure);
  similarity->resetView();
}

void setUpRankCounts(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions&) {
  auto* ranks = static_cast<RankCountView*>(view);
  ranks->setAllLayers(kind.scope == FigureScope::Run);
  ranks->setDrawing(kind.grouped_bars ? RankCountView::Drawing::GroupedBars : RankCountView::Drawing::Heatmap);
  ranks->resetView();
}

void setUpPca(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions&) {
  auto* pca = static_cast<PcaScatterView*>(view);
  pca->setLevel(kind.neuron_level ? PcaScatterView::Level::Neuron : PcaScatterView::Level::Matrix);
  pca->setProjection(kind.measure);
  pca->resetView();
}

void setUpActivations(PlotView* view, const FigureKind&, const RunData&, int, int, const FigureOptions&) {
  auto* activations = static_cast<ActivationHeatmapView*>(view);
  activations->refresh();
  activations->resetView();
}

void setUpOutputGrid(PlotView* view, const FigureKind&, const RunData&, int, int, const FigureOptions& options) {
  auto* grid = static_cast<OutputSimilarityGridView*>(view);
  grid->setColourRange(options.colour_range);
  grid->setChosenLayers(options.grid_layers);
  grid->setChosenTokens(options.grid_tokens);
  grid->resetView();
}

void setUpAgreementMap(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions&) {
  auto* map = static_cast<AgreementMapView*>(view);
  map->setMeasure(kind.measure == QLatin1String("output_cosine")       ? AgreementMapView::Measure::OutputCosine
                  : kind.measure == QLatin1String("output_norm_ratio") ? AgreementMapView::Measure::OutputNormRatio
                                                                       : AgreementMapView::Measure::TopkOverlap);
  map->resetView();
}

void setUpSaturation(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions&) {
  auto* curves = static_cast<SaturationCurveView*>(view);
  curves->setOverModels(kind.name.endsWith(QLatin1String("-over-models")));
  curves->setMeasure(AgreementMeasure(kind.measure.toInt()));
  curves->resetView();
}

void setUpCrossSimilarity(PlotView* view, const FigureKind& kind, const RunData&, int, int, const FigureOptions&) {
  auto* cross = static_cast<CrossSimilarityView*>(view);
  cross->setMeasure(kind.measure);
  cross->resetView();
}

void setUpGateScores(PlotView* view, const FigureKind&, const RunData& data, int layer_index, int token,
                     const FigureOptions&) {
  static_cast<GateScoreChart*>(view)->showToken(data.routing.layers[layer_index], token, data.routing.tokens.value(token), -1);
}

// --- The figures --------------------------------------------------------------------------

FigureKind figure(ViewId view, const char* name, const char* stem, FigureScope scope, const QString& measure,
                  const QString& description, bool paper_set = false) {
  FigureKind kind{QString::fromLatin1(name), QString::fromLatin1(stem), scope, measure, description};
  kind.view = view;
  kind.paper_set = paper_set;
  return kind;
}

const char* const kProjections[] = {"up", "gate", "down"};

QVector<FigureKind> similarityFigures() {
  struct Measure {
    const char* name;
    const char* stem;
    const char* key;
    const char* what;
    bool paper_set;
  };
  const Measure per_projection[] = {
      {"similarity-weights", "weight_similarity", "weights_similarity", "expert weight similarity, matrix level (S1)", true},
      {"similarity-neuron-mean", "neuron_mean_similarity", "neuron_mean_similarity",
       "expert similarity of the mean neurons (S2)", true},
      {"similarity-neuron-reorder", "neuron_reorder_similarity", "neuron_reorder_similarity",
       "expert weight similarity after neuron re-ordering (S3)", false},
      {"kendall-tau", "neuron_reorder_kendall_tau", "neuron_reorder_kendall_tau",
       "Kendall's tau of the neuron re-ordering (S3)", false},
  };
  QVector<FigureKind> kinds;
  for (const Measure& measure : per_projection)
    for (const char* projection : kProjections) {
      const QString p = QString::fromLatin1(projection);
      FigureKind kind = figure(ViewId::Similarity, "", "", FigureScope::Layer,
                               QString::fromLatin1(measure.key) + QLatin1Char('/') + p,
                               QString::fromLatin1(measure.what) + QStringLiteral(", ") + p + QStringLiteral(" projection"),
                               measure.paper_set);
      kind.name = QString::fromLatin1(measure.name) + QLatin1Char('-') + p;
      kind.stem = QString::fromLatin1(measure.stem) + QLatin1Char('_') + p;
      kinds.append(kind);
    }
  kinds.append(figure(ViewId::Similarity, "similarity-gate-embedding", "gate_embedding_similarity", FigureScope::Layer,
                      QStringLiteral("gate_embedding_similarity"),
                      QStringLiteral("similarity of the router's gate embeddings (S4)"), true));
  kinds.append(figure(ViewId::Similarity, "similarity-outputs", "output_similarity", FigureScope::Layer,
                      QStringLiteral("output_angular_similarity_mean"),
                      QStringLiteral("expert output angular similarity, mean over the texts' tokens (D2)"), true));
  return kinds;
}

QVector<FigureKind> rankCountFigures() {
  QVector<FigureKind> kinds{
      figure(ViewId::RankCounts, "rank-counts", "rank_counts", FigureScope::Layer, QString(),
             QStringLiteral("gate-score rank against output-norm rank counts of a layer (D3)"), true),
      figure(ViewId::RankCounts, "rank-counts-all", "rank_counts_all_layers", FigureScope::Run, QString(),
             QStringLiteral("rank counts summed over all layers (D3)"), true),
      figure(ViewId::RankCounts, "rank-bars", "rank_bars", FigureScope::Layer, QString(),
             QStringLiteral("the rank counts of a layer as the paper draws them: bars per norm rank, one per score rank (D3)")),
      figure(ViewId::RankCounts, "rank-bars-all", "rank_bars_all_layers", FigureScope::Run, QString(),
             QStringLiteral("the rank counts summed over all layers as grouped bars, the paper's figure (D3)"), true)};
  kinds[2].grouped_bars = kinds[3].grouped_bars = true;
  return kinds;
}

QVector<FigureKind> pcaFigures() {
  QVector<FigureKind> kinds;
  for (const bool neuron : {false, true})
    for (const char* projection : kProjections) {
      const QString p = QString::fromLatin1(projection);
      FigureKind kind = figure(
          ViewId::Pca, "", "", FigureScope::Layer, p,
          neuron ? QStringLiteral("every neuron of the %1-projections as one point, coloured by expert (S5)").arg(p)
                 : QStringLiteral("each expert's %1-projection as one point, first two principal components (S5)").arg(p));
      kind.name = (neuron ? QStringLiteral("pca-neuron-") : QStringLiteral("pca-matrix-")) + p;
      kind.stem = (neuron ? QStringLiteral("pca_neuron_") : QStringLiteral("pca_matrix_")) + p;
      kind.neuron_level = neuron;
      kinds.append(kind);
    }
  return kinds;
}

QVector<FigureKind> agreementMapFigures() {
  return {
      figure(ViewId::AgreementMap, "compare-agreement-map", "compare_topk_overlap", FigureScope::Run,
             QStringLiteral("topk_overlap"),
             QStringLiteral("comparison: layers x tokens, the share of each token's top-k experts both models chose (C1)")),
      figure(ViewId::AgreementMap, "compare-output-cosine", "compare_output_cosine", FigureScope::Run,
             QStringLiteral("output_cosine"),
             QStringLiteral("comparison: layers x tokens, cosine of the two models' MoE block outputs (C4)")),
      figure(ViewId::AgreementMap, "compare-norm-ratio", "compare_output_norm_ratio", FigureScope::Run,
             QStringLiteral("output_norm_ratio"),
             QStringLiteral("comparison: layers x tokens, norm of the model's MoE block output over the reference's (C4)"))};
}

QVector<FigureKind> saturationFigures() {
  QVector<FigureKind> kinds;
  struct Curve {
    const char* name;
    const char* stem;
    AgreementMeasure measure;
    const char* what;
  };
  const Curve curves[] = {
      {"compare-saturation", "compare_router_saturation", AgreementMeasure::TopkOverlap,
       "top-k overlap with the reference (router saturation)"},
      {"compare-top1", "compare_top1_agreement", AgreementMeasure::Top1, "top-1 agreement with the reference"},
      {"compare-jaccard", "compare_jaccard", AgreementMeasure::Jaccard, "Jaccard of the top-k sets with the reference's"},
      {"compare-kendall-tau", "compare_kendall_tau", AgreementMeasure::KendallTau,
       "Kendall's tau of the router scores with the reference's"}};
  for (const Curve& curve : curves) {
    kinds.append(figure(ViewId::Saturation, curve.name, curve.stem, FigureScope::Run,
                        QString::number(int(curve.measure)),
                        QStringLiteral("comparison: ") + QString::fromLatin1(curve.what) +
                            QStringLiteral(" per layer, one curve per model (C1)")));
  }
  kinds.append(figure(ViewId::Saturation, "compare-saturation-over-models", "compare_router_saturation_over_models",
                      FigureScope::Run, QString::number(int(AgreementMeasure::TopkOverlap)),
                      QStringLiteral("comparison of 3+ models: router saturation over the models in the order given, "
                                     "mean over layers (C1)")));
  return kinds;
}

QVector<FigureKind> crossSimilarityFigures() {
  QVector<FigureKind> kinds;
  for (const QString& key : CrossSimilarityView::measureKeys()) {
    QString name = key;
    name.replace(QLatin1String("weights_similarity/"), QLatin1String("weights-"))
        .replace(QLatin1String("neuron_mean_similarity/"), QLatin1String("neuron-mean-"))
        .replace(QLatin1String("router_similarity"), QLatin1String("router"));
    kinds.append(figure(ViewId::CrossSimilarity, "", "", FigureScope::Layer, key,
                        QStringLiteral("comparison: every expert of the model against every expert of the reference, ") +
                            measureTitle(key).toLower() + QStringLiteral(", with the matching outlined (C2, C3)")));
    kinds.last().name = QStringLiteral("compare-experts-") + name;
    kinds.last().stem = QStringLiteral("compare_experts_") + QString(name).replace(QLatin1Char('-'), QLatin1Char('_'));
  }
  return kinds;
}

QVector<ViewEntry> buildTable() {
  QVector<ViewEntry> table;
  table.append({ViewId::Routing, "RoutingHeatmapView", QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "&Routing"),
                ViewPlace::Tab, true,
                {figure(ViewId::Routing, "routing", "routing", FigureScope::Layer, QString(),
                        QStringLiteral("experts x tokens mixing weights of a layer (D1)"), true)},
                makeView<RoutingHeatmapView>, resetOnly, missingRouting,
                [] { return ViewTable::tr("Which experts each token chose at the selected layer"); }});
  table.append({ViewId::Similarity, "SimilarityHeatmapView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Expert &Similarity"), ViewPlace::Tab, true,
                similarityFigures(), makeView<SimilarityHeatmapView>, setUpSimilarity, missingMatrix,
                [] { return SimilarityHeatmapView::explanation(); }});
  table.append({ViewId::Diversity, "DiversityCurvesView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "&Diversity by Layer"), ViewPlace::Tab, false,
                {figure(ViewId::Diversity, "diversity", "diversity_by_layer", FigureScope::Run, QString(),
                        QStringLiteral("mean similarity between experts per layer, every measure (D5)"), true)},
                makeView<DiversityCurvesView>, resetOnly, missingDiversity,
                [] { return ViewTable::tr("How alike the experts of each layer are, layer by layer"); }});
  table.append({ViewId::Statistics, "RoutingStatisticsView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Routing S&tatistics"), ViewPlace::Tab, true,
                {figure(ViewId::Statistics, "routing-statistics", "routing_statistics", FigureScope::Layer, QString(),
                        QStringLiteral("load per expert with entropy and CV, co-activation matrix (D6)"), true)},
                makeView<RoutingStatisticsView>, resetOnly, missingStatistics, [] {
                  return ViewTable::tr(
                      "How evenly the router spreads the tokens over the experts, and which experts are chosen together");
                }});
  table.append({ViewId::RankCounts, "RankCountView", QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "&Norms vs Scores"),
                ViewPlace::Tab, true, rankCountFigures(), makeView<RankCountView>, setUpRankCounts, missingRankCounts, [] {
                  return ViewTable::tr(
                      "Whether the router's highest-scored experts are those whose outputs have the largest norms");
                }});
  table.append({ViewId::Pca, "PcaScatterView", QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "&PCA of Experts"),
                ViewPlace::Tab, true, pcaFigures(), makeView<PcaScatterView>, setUpPca, missingPca,
                [] { return ViewTable::tr("Each expert, or each of its neurons, projected to two dimensions"); }});
  table.append({ViewId::Activations, "ActivationHeatmapView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Acti&vations"), ViewPlace::Tab, true,
                {figure(ViewId::Activations, "activations", "activations", FigureScope::Token, QString(),
                        QStringLiteral("every expert's intermediate activations for one token (D4); needs --token"))},
                makeView<ActivationHeatmapView>, setUpActivations, missingActivations,
                [] { return ViewTable::tr("The intermediate activations of every expert for the selected token"); }});
  table.append({ViewId::OutputGrid, "OutputSimilarityGridView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "To&ken Outputs"), ViewPlace::Tab, false,
                {figure(ViewId::OutputGrid, "similarity-outputs-tokens", "output_similarity_tokens", FigureScope::Run,
                        QString(),
                        QStringLiteral("cosine of every pair of expert outputs per token, layers x tokens, one colour "
                                       "scale (D2, the paper's small multiples); --layers and --tokens choose them"),
                        true)},
                makeView<OutputSimilarityGridView>, setUpOutputGrid, missingOutputGrid, [] {
                  return ViewTable::tr("How alike the experts' outputs are for single tokens, layer by layer");
                }});
  table.append({ViewId::GateFit, "GateFitView", QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Gate F&it"),
                ViewPlace::Tab, false,
                {figure(ViewId::GateFit, "gate-fit", "gate_embedding_fit", FigureScope::Run, QString(),
                        QStringLiteral("R² of the gate embedding against the neuron-mean similarity per layer and "
                                       "projection, with its mean over layers (S4)"))},
                makeView<GateFitView>, resetOnly, missingGateFit, [] {
                  return ViewTable::tr("How closely the router's gate embedding follows the experts' weights, layer by layer");
                }});
  table.append({ViewId::AgreementMap, "AgreementMapView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Compare: &Agreement"), ViewPlace::Comparison, false,
                agreementMapFigures(), makeView<AgreementMapView>, setUpAgreementMap, missingAgreementMap,
                [] { return ViewTable::tr("Where the compared model routes differently from the reference: layers × tokens"); }});
  table.append({ViewId::Saturation, "SaturationCurveView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Compare: Sat&uration"), ViewPlace::Comparison, false,
                saturationFigures(), makeView<SaturationCurveView>, setUpSaturation, missingSaturation,
                [] { return ViewTable::tr("How far each model routes as the reference does, layer by layer"); }});
  table.append({ViewId::CrossSimilarity, "CrossSimilarityView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Compare: E&xperts"), ViewPlace::Comparison, false,
                crossSimilarityFigures(), makeView<CrossSimilarityView>, setUpCrossSimilarity, missingCrossSimilarity,
                [] { return ViewTable::tr("Each expert of the compared model against each of the reference, with the matching"); }});
  table.append({ViewId::GateScores, "GateScoreChart", QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Gate Scores"),
                ViewPlace::Inspector, true,
                {figure(ViewId::GateScores, "gate-scores", "gate_scores_vs_norms", FigureScope::Token, QString(),
                        QStringLiteral("gate score and output norm of every expert for one token (D3); needs --token"),
                        true)},
                makeGateScoreChart, setUpGateScores, missingRouting,
                [] { return ViewTable::tr("The gate score and output norm of every expert for the selected token"); }});
  table.append({ViewId::Overview, "RoutingOverviewView",
                QT_TRANSLATE_NOOP("moescope::widgets::ViewTable", "Routing Overview"), ViewPlace::Dock, false,
                {figure(ViewId::Overview, "routing-overview", "routing_overview", FigureScope::Run, QString(),
                        QStringLiteral("load of every expert at every layer, layers x experts (D6)"), true)},
                makeView<RoutingOverviewView>, resetOnly, missingLoad,
                [] { return RoutingOverviewView::explanation(); }});
  return table;
}

}  // namespace

QString ViewEntry::translatedTitle() const { return QCoreApplication::translate("moescope::widgets::ViewTable", title); }

const QVector<ViewEntry>& viewTable() {
  static const QVector<ViewEntry> table = buildTable();
  return table;
}

const ViewEntry& viewEntry(ViewId id) {
  for (const ViewEntry& entry : viewTable())
    if (entry.id == id) return entry;
  Q_UNREACHABLE();
}

}  // namespace moescope::widgets
