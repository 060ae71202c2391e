#include "widgets/figure_catalog.h"

#include <QCoreApplication>

#include "widgets/activation_heatmap_view.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/gate_score_chart.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_overview_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"

namespace moescope::widgets {

namespace {

struct FigureCatalog {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::FigureCatalog)
};

QVector<FigureKind> buildKinds() {
  QVector<FigureKind> kinds;
  kinds.append({QStringLiteral("routing"), QStringLiteral("routing"), FigureScope::Layer, QString(),
                QStringLiteral("experts x tokens mixing weights of a layer (D1)")});
  struct Family {
    const char* name;
    const char* stem;
    const char* key;
    const char* what;
  };
  const Family families[] = {
      {"similarity-weights", "weight_similarity", "weights_similarity", "expert weight similarity, matrix level (S1)"},
      {"similarity-neuron-mean", "neuron_mean_similarity", "neuron_mean_similarity",
       "expert similarity of the mean neurons (S2)"},
      {"similarity-neuron-reorder", "neuron_reorder_similarity", "neuron_reorder_similarity",
       "expert weight similarity after neuron re-ordering (S3)"},
      {"kendall-tau", "neuron_reorder_kendall_tau", "neuron_reorder_kendall_tau",
       "Kendall's tau of the neuron re-ordering (S3)"},
  };
  for (const Family& family : families) {
    for (const char* projection : {"up", "gate", "down"}) {
      const QString p = QString::fromLatin1(projection);
      kinds.append({QString::fromLatin1(family.name) + QLatin1Char('-') + p,
                    QString::fromLatin1(family.stem) + QLatin1Char('_') + p, FigureScope::Layer,
                    QString::fromLatin1(family.key) + QLatin1Char('/') + p,
                    QString::fromLatin1(family.what) + QStringLiteral(", ") + p + QStringLiteral(" projection")});
    }
  }
  kinds.append({QStringLiteral("similarity-gate-embedding"), QStringLiteral("gate_embedding_similarity"),
                FigureScope::Layer, QStringLiteral("gate_embedding_similarity"),
                QStringLiteral("similarity of the router's gate embeddings (S4)")});
  kinds.append({QStringLiteral("similarity-outputs"), QStringLiteral("output_similarity"), FigureScope::Layer,
                QStringLiteral("output_angular_similarity_mean"),
                QStringLiteral("expert output angular similarity, mean over the texts' tokens (D2)")});
  for (const char* projection : {"up", "gate", "down"}) {
    const QString p = QString::fromLatin1(projection);
    kinds.append({QStringLiteral("pca-matrix-") + p, QStringLiteral("pca_matrix_") + p, FigureScope::Layer, p,
                  QStringLiteral("each expert's %1-projection as one point, first two principal components (S5)").arg(p)});
  }
  for (const char* projection : {"up", "gate", "down"}) {
    const QString p = QString::fromLatin1(projection);
    kinds.append({QStringLiteral("pca-neuron-") + p, QStringLiteral("pca_neuron_") + p, FigureScope::Layer, p,
                  QStringLiteral("every neuron of the %1-projections as one point, coloured by expert (S5)").arg(p)});
  }
  kinds.append({QStringLiteral("routing-statistics"), QStringLiteral("routing_statistics"), FigureScope::Layer,
                QString(), QStringLiteral("load per expert with entropy and CV, co-activation matrix (D6)")});
  kinds.append({QStringLiteral("rank-counts"), QStringLiteral("rank_counts"), FigureScope::Layer, QString(),
                QStringLiteral("gate-score rank against output-norm rank counts of a layer (D3)")});
  kinds.append({QStringLiteral("gate-scores"), QStringLiteral("gate_scores_vs_norms"), FigureScope::Token, QString(),
                QStringLiteral("gate score and output norm of every expert for one token (D3); needs --token")});
  kinds.append({QStringLiteral("activations"), QStringLiteral("activations"), FigureScope::Token, QString(),
                QStringLiteral("every expert's intermediate activations for one token (D4); needs --token")});
  kinds.append({QStringLiteral("diversity"), QStringLiteral("diversity_by_layer"), FigureScope::Run, QString(),
                QStringLiteral("mean similarity between experts per layer, every measure (D5)")});
  kinds.append({QStringLiteral("rank-counts-all"), QStringLiteral("rank_counts_all_layers"), FigureScope::Run,
                QString(), QStringLiteral("rank counts summed over all layers (D3)")});
  kinds.append({QStringLiteral("routing-overview"), QStringLiteral("routing_overview"), FigureScope::Run, QString(),
                QStringLiteral("load of every expert at every layer, layers x experts (D6)")});
  return kinds;
}

bool isRankCount(const FigureKind& kind) { return kind.stem.startsWith(QLatin1String("rank_counts")); }
bool isPca(const FigureKind& kind) { return kind.stem.startsWith(QLatin1String("pca_")); }
bool isNeuronPca(const FigureKind& kind) { return kind.stem.startsWith(QLatin1String("pca_neuron")); }
bool isActivations(const FigureKind& kind) { return kind.name == QLatin1String("activations"); }
bool isOverview(const FigureKind& kind) { return kind.name == QLatin1String("routing-overview"); }

}  // namespace

QVector<int> FigureData::layers() const {
  QVector<int> out;
  if (!analyses.isEmpty())
    for (const LayerAnalyses& layer : analyses) out.append(layer.layer);
  else
    for (const LayerRoutingData& layer : routing.layers) out.append(layer.layer);
  return out;
}

int FigureData::layerIndex(int decoder_layer) const { return int(layers().indexOf(decoder_layer)); }

const QVector<FigureKind>& figureKinds() {
  static const QVector<FigureKind> kinds = buildKinds();
  return kinds;
}

const FigureKind* findFigureKind(const QString& name) {
  for (const FigureKind& kind : figureKinds())
    if (kind.name == name) return &kind;
  return nullptr;
}

QStringList paperFigureSet() {
  return {QStringLiteral("similarity-weights-up"),     QStringLiteral("similarity-weights-gate"),
          QStringLiteral("similarity-weights-down"),   QStringLiteral("similarity-neuron-mean-up"),
          QStringLiteral("similarity-neuron-mean-gate"), QStringLiteral("similarity-neuron-mean-down"),
          QStringLiteral("similarity-gate-embedding"), QStringLiteral("similarity-outputs"),
          QStringLiteral("routing"),                   QStringLiteral("rank-counts"),
          QStringLiteral("routing-statistics"),        QStringLiteral("gate-scores"),
          QStringLiteral("diversity"),                 QStringLiteral("rank-counts-all"),
          QStringLiteral("routing-overview")};
}

QString figureFileName(const FigureKind& kind, int decoder_layer, int token, FigureFormat format) {
  QString name;
  if (kind.scope != FigureScope::Run) name = QStringLiteral("layer%1_").arg(decoder_layer);
  if (kind.scope == FigureScope::Token) name += QStringLiteral("token%1_").arg(token);
  return name + kind.stem + QLatin1Char('.') + formatSuffix(format);
}

QString missingFigureData(const FigureData& data, const FigureKind& kind, int layer_index, int token) {
  if (kind.scope == FigureScope::Run) {
    if (kind.name == QLatin1String("diversity"))
      return data.diversity.isEmpty() ? FigureCatalog::tr("the run has no diversity curves") : QString();
    if (isOverview(kind)) {
      for (const LayerAnalyses& layer : data.analyses)
        if (!layer.load.isEmpty()) return QString();
      return FigureCatalog::tr("the run has no expert load (routing statistics)");
    }
    return data.diversity.routing.rankCountSide() > 0 ? QString()
                                                      : FigureCatalog::tr("the run has no rank counts over all layers");
  }
  const QVector<int> layers = data.layers();
  if (layer_index < 0 || layer_index >= layers.size()) return FigureCatalog::tr("the run has no such layer");
  const int decoder = layers[layer_index];
  if (isPca(kind)) {
    const LayerPca* pca = layer_index < data.pca.size() ? &data.pca[layer_index] : nullptr;
    const QMap<QString, PcaPoints>* level = pca ? (isNeuronPca(kind) ? &pca->neuron : &pca->matrix) : nullptr;
    const bool have = level && level->contains(kind.measure) && level->value(kind.measure).isConsistent();
    return have ? QString() : FigureCatalog::tr("layer %1 has no %2").arg(decoder).arg(kind.name);
  }
  if (isActivations(kind)) {
    if (!data.activations || !data.activations->hasLayer(layer_index))
      return FigureCatalog::tr("layer %1 has no activations").arg(decoder);
    if (token < 0 || token >= data.routing.tokenCount())
      return FigureCatalog::tr("token %1 is out of range (the text has %n token(s))", nullptr, data.routing.tokenCount())
          .arg(token);
    return QString();
  }
  if (kind.name == QLatin1String("routing") || kind.scope == FigureScope::Token) {
    if (!data.routing.hasLayer(layer_index) || !data.routing.layers[layer_index].isConsistent() ||
        data.routing.tokenCount() == 0)
      return FigureCatalog::tr("layer %1 has no routing").arg(decoder);
    if (kind.scope == FigureScope::Token && (token < 0 || token >= data.routing.tokenCount()))
      return FigureCatalog::tr("token %1 is out of range (the text has %n token(s))", nullptr, data.routing.tokenCount())
          .arg(token);
    return QString();
  }
  if (layer_index >= data.analyses.size()) return FigureCatalog::tr("layer %1 has no analyses").arg(decoder);
  const LayerAnalyses& layer = data.analyses[layer_index];
  if (!kind.measure.isEmpty()) {
    const auto it = layer.matrices.constFind(kind.measure);
    return it != layer.matrices.cend() && it->isConsistent()
               ? QString()
               : FigureCatalog::tr("layer %1 has no %2").arg(decoder).arg(kind.measure);
  }
  if (isRankCount(kind))
    return layer.rankCountSide() > 0 ? QString() : FigureCatalog::tr("layer %1 has no rank counts").arg(decoder);
  return !layer.load.isEmpty() || layer.coactivationSide() > 0
             ? QString()
             : FigureCatalog::tr("layer %1 has no routing statistics").arg(decoder);
}

struct FigureStage::Views {
  SelectionModel selection;
  std::unique_ptr<RoutingHeatmapView> routing;
  std::unique_ptr<SimilarityHeatmapView> similarity;
  std::unique_ptr<DiversityCurvesView> diversity;
  std::unique_ptr<RoutingStatisticsView> statistics;
  std::unique_ptr<RankCountView> rank_counts;
  std::unique_ptr<GateScoreChart> gate_scores;
  std::unique_ptr<PcaScatterView> pca;
  std::unique_ptr<ActivationHeatmapView> activations;
  std::unique_ptr<RoutingOverviewView> overview;
};

namespace {

// Off-screen views: never shown, laid out by the export at the figure's size.
template <class View>
View* offscreen(std::unique_ptr<View>& slot, std::unique_ptr<View> made) {
  if (!slot) {
    slot = std::move(made);
    slot->setAttribute(Qt::WA_DontShowOnScreen);
    slot->resize(800, 600);
  }
  return slot.get();
}

}  // namespace

FigureStage::FigureStage(FigureData data) : data_(std::move(data)), views_(std::make_unique<Views>()) {
  // Figures show no selection unless asked: no expert or pair markers.
  views_->selection.setExpert(-1);
  views_->selection.clearExpertPair();
}

FigureStage::~FigureStage() = default;

void FigureStage::setSameSimilarityRange(bool same) {
  same_range_ = same;
  if (views_->similarity) views_->similarity->setSameRangeForAllLayers(same);
}

QWidget* FigureStage::prepare(const FigureKind& kind, int layer_index, int token, QString* error) {
  const QString missing = missingFigureData(data_, kind, layer_index, token);
  if (!missing.isEmpty()) {
    if (error) *error = missing;
    return nullptr;
  }
  Views& v = *views_;
  SelectionModel* selection = &v.selection;
  // A run figure marks no layer.
  selection->setTokenAndExpert(token, -1);
  selection->setLayer(kind.scope == FigureScope::Run ? -1 : layer_index);

  if (kind.name == QLatin1String("routing")) {
    const bool made = !v.routing;
    RoutingHeatmapView* view = offscreen(v.routing, std::make_unique<RoutingHeatmapView>(selection));
    if (made) view->setRouting(data_.routing);
    view->resetView();
    return view;
  }
  if (isPca(kind)) {
    const bool made = !v.pca;
    PcaScatterView* view = offscreen(v.pca, std::make_unique<PcaScatterView>(selection));
    if (made) view->setLayers(data_.pca);
    view->setLevel(isNeuronPca(kind) ? PcaScatterView::Level::Neuron : PcaScatterView::Level::Matrix);
    view->setProjection(kind.measure);
    view->resetView();
    return view;
  }
  if (isActivations(kind)) {
    const bool made = !v.activations;
    ActivationHeatmapView* view = offscreen(v.activations, std::make_unique<ActivationHeatmapView>(selection));
    if (made) {
      view->setSource(data_.activations);
      view->setRouting(data_.routing);
    }
    view->refresh();
    view->resetView();
    return view;
  }
  if (!kind.measure.isEmpty()) {
    const bool made = !v.similarity;
    SimilarityHeatmapView* view = offscreen(v.similarity, std::make_unique<SimilarityHeatmapView>(selection));
    if (made) {
      view->setAnalyses(data_.analyses);
      view->setSameRangeForAllLayers(same_range_);
    }
    view->setCurrentMeasure(kind.measure);
    view->resetView();
    return view;
  }
  if (kind.name == QLatin1String("diversity")) {
    const bool made = !v.diversity;
    DiversityCurvesView* view = offscreen(v.diversity, std::make_unique<DiversityCurvesView>(selection));
    if (made) view->setCurves(data_.diversity);
    view->resetView();
    return view;
  }
  if (isOverview(kind)) {
    const bool made = !v.overview;
    RoutingOverviewView* view = offscreen(v.overview, std::make_unique<RoutingOverviewView>(selection));
    if (made) view->setAnalyses(data_.analyses);
    view->resetView();
    return view;
  }
  if (isRankCount(kind)) {
    const bool made = !v.rank_counts;
    RankCountView* view = offscreen(v.rank_counts, std::make_unique<RankCountView>(selection));
    if (made) view->setAnalyses(data_.analyses, data_.diversity.routing);
    view->setAllLayers(kind.scope == FigureScope::Run);
    view->resetView();
    return view;
  }
  if (kind.scope == FigureScope::Token) {
    GateScoreChart* view = offscreen(v.gate_scores, std::make_unique<GateScoreChart>());
    view->showToken(data_.routing.layers[layer_index], token, data_.routing.tokens.value(token), -1);
    return view;
  }
  const bool made = !v.statistics;
  RoutingStatisticsView* view = offscreen(v.statistics, std::make_unique<RoutingStatisticsView>(selection));
  if (made) view->setAnalyses(data_.analyses);
  view->resetView();
  return view;
}

}  // namespace moescope::widgets
