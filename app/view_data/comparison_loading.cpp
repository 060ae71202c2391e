#include "app/view_data/comparison_loading.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <string>

#include "app/view_data/dataset_source.h"
#include "app/view_data/layer_loading.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::view_data {

namespace {

namespace layout = results::layout;
namespace compare = results::layout::compare;

QStringList expertLabels(int experts) {
  QStringList labels;
  for (int e = 0; e < experts; ++e) labels.append(QString::number(e));
  return labels;
}

bool isDataset(const results::ResultsReader& file, const std::string& path) {
  return file.has(path) && !file.isGroup(path);
}

// A [rows, columns] dataset as a flat vector, or empty when absent or of another shape.
template <class Out, class Array>
QVector<Out> flatRows(const Array& array, int64_t rows, int64_t columns) {
  if (array.shape.size() != 2 || array.dim(0) != rows || array.dim(1) != columns) return {};
  QVector<Out> out;
  out.reserve(qsizetype(array.values.size()));
  for (const auto v : array.values) out.append(Out(v));
  return out;
}

widgets::ExpertCorrespondence readCorrespondence(const results::ResultsReader& file, std::size_t model, int layer,
                                                 int experts) {
  widgets::ExpertCorrespondence out;
  const auto vector = [&](std::string_view name) {
    const std::string path = layout::compareLayerPath(model, layer, name);
    QVector<float> values;
    if (!isDataset(file, path)) return values;
    const FloatArray array = file.readFloat(path);
    if (array.shape.size() == 1 && array.dim(0) == experts)
      for (float v : array.values) values.append(v);
    return values;
  };
  const std::string match_path = layout::compareLayerPath(model, layer, compare::kExpertMatch);
  if (isDataset(file, match_path)) {
    const IndexArray match = file.readInt(match_path);
    if (match.shape.size() == 1 && match.dim(0) == experts &&
        std::all_of(match.values.begin(), match.values.end(), [&](int64_t f) { return f >= 0 && f < experts; }))
      for (int64_t f : match.values) out.match.append(int(f));
  }
  out.matched_similarity = vector(compare::kMatchedSimilarity);
  out.matched_router_cosine = vector(compare::kMatchedRouterCosine);

  const auto matrix = [&](const std::string& key, const std::string& path) {
    if (!isDataset(file, path)) return;
    const FloatArray array = file.readFloat(path);
    if (array.shape.size() != 2 || array.dim(0) != experts || array.dim(1) != experts) return;
    widgets::SimilarityMatrix m;
    m.title = widgets::measureTitle(QString::fromStdString(key));
    m.labels = expertLabels(experts);
    m.size = experts;
    m.values = QVector<float>(array.values.begin(), array.values.end());
    out.matrices.insert(QString::fromStdString(key), m);
  };
  for (const std::string_view base : {compare::kWeightsSimilarity, compare::kNeuronMeanSimilarity})
    for (const layout::Projection projection : {layout::Projection::Gate, layout::Projection::Up, layout::Projection::Down})
      matrix(std::string(base) + "/" + std::string(layout::projectionName(projection)),
             layout::compareLayerPath(model, layer, base, projection));
  matrix(std::string(compare::kRouterSimilarity), layout::compareLayerPath(model, layer, compare::kRouterSimilarity));
  return out;
}

widgets::ModelDifference readDifference(const results::ResultsReader& file, std::size_t model, int experts) {
  widgets::ModelDifference out;
  out.model = int(model);
  const std::string layers_path = layout::comparePath(model, compare::kMoeLayers);
  if (!isDataset(file, layers_path)) return out;
  for (int64_t layer : file.readInt(layers_path).values) out.layers.append(int(layer));
  const int64_t rows = out.layers.size();

  const std::string agreement_path = layout::comparePath(model, compare::kRoutingAgreement);
  if (isDataset(file, agreement_path))
    out.agreement = flatRows<float>(file.readFloat(agreement_path), rows, widgets::kAgreementMeasures);
  const std::string differing_path = layout::comparePath(model, compare::kTokensDiffering);
  if (isDataset(file, differing_path)) {
    const IndexArray differing = file.readInt(differing_path);
    if (differing.shape.size() == 2 && differing.dim(0) == rows) {
      out.tokens = int(differing.dim(1));
      out.differing = flatRows<quint8>(differing, rows, out.tokens);
    }
  }
  for (const auto& [name, target] : {std::pair{compare::kOutputCosine, &out.output_cosine},
                                     std::pair{compare::kOutputNormRatio, &out.output_norm_ratio}}) {
    const std::string path = layout::comparePath(model, name);
    if (!isDataset(file, path)) continue;
    const FloatArray array = file.readFloat(path);
    if (out.tokens == 0 && array.shape.size() == 2) out.tokens = int(array.dim(1));
    *target = flatRows<float>(array, rows, out.tokens);
  }
  out.first_divergent_layer = int(
      file.attributeAs<int64_t>(layout::compareGroup(model), compare::kFirstDivergentLayer).value_or(-1));
  for (int layer : std::as_const(out.layers)) out.experts.append(readCorrespondence(file, model, layer, experts));
  return out;
}

widgets::RoutingData readRouting(const results::ResultsReader& file, std::size_t model,
                                 const widgets::RoutingData& reference) {
  const std::string group = layout::modelGroup(model);
  widgets::RoutingData routing;
  routing.tokens = reference.tokens;
  routing.token_ids = reference.token_ids;
  if (!file.has(group)) return routing;
  const results::ResultsReader reader = results::ResultsReader::open(file.path(), group);
  routing.experts = reader.metadata().experts;
  routing.top_k = reader.metadata().top_k;
  const FileDatasets source(reader);
  for (int layer : reader.listLayers()) {
    widgets::LayerRoutingData layer_routing = readLayer(source, layer, routing.experts, routing.top_k).routing;
    // The per-token arrays of the first text only, as the reference's.
    const int tokens = int(reference.tokens.size());
    if (layer_routing.tokenCount() > tokens && tokens > 0) {
      layer_routing.topk_ids.resize(qsizetype(tokens) * layer_routing.top_k);
      layer_routing.topk_weights.resize(qsizetype(tokens) * layer_routing.top_k);
      layer_routing.gate_scores.resize(qsizetype(tokens) * layer_routing.experts);
      if (!layer_routing.output_norms.isEmpty())
        layer_routing.output_norms.resize(qsizetype(tokens) * layer_routing.experts);
    }
    routing.layers.append(std::move(layer_routing));
  }
  return routing;
}

}  // namespace

QString modelName(const QString& given) {
  QString path = QDir::fromNativeSeparators(given);
  while (path.size() > 1 && path.endsWith(QLatin1Char('/'))) path.chop(1);
  const QString name = QFileInfo(path).fileName();
  return name.isEmpty() ? path : name;
}

bool isComparisonFile(const results::ResultsReader& file) {
  return file.has(compare::kGroup) && file.isGroup(compare::kGroup) && file.listLayers().empty();
}

widgets::ComparisonDataPtr loadComparison(const results::ResultsReader& file, const widgets::RoutingData& reference_routing) {
  auto out = std::make_shared<widgets::ComparisonData>();
  const auto models =
      file.attributeAs<std::vector<std::string>>(compare::kGroup, compare::kModels).value_or(std::vector<std::string>{});
  for (const std::string& model : models) out->models.append(modelName(QString::fromStdString(model)));
  out->reference = int(file.attributeAs<int64_t>(compare::kGroup, compare::kReference).value_or(0));
  if (out->reference < 0 || out->reference >= out->models.size()) out->reference = 0;
  for (qsizetype i = 0; i < out->models.size(); ++i) {
    const std::size_t model = std::size_t(i);
    out->routing.append(int(i) == out->reference ? reference_routing : readRouting(file, model, reference_routing));
    if (int(i) != out->reference && file.has(layout::compareGroup(model)))
      out->differences.append(readDifference(file, model, reference_routing.experts));
  }
  return out;
}

}  // namespace moescope::view_data
