#include "app/view_data/layer_loading.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <variant>

#include "app/view_data/dataset_source.h"
#include "core/pipeline/layer_analysis_result.h"
#include "core/results/results_layout.h"

namespace moescope::view_data {

namespace {

namespace layout = results::layout;

QString fromView(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

QStringList toStringList(const std::vector<std::string>& strings) {
  QStringList list;
  list.reserve(qsizetype(strings.size()));
  for (const std::string& s : strings) list.append(QString::fromStdString(s));
  return list;
}

QVector<float> toFloats(const std::vector<float>& values) { return QVector<float>(values.begin(), values.end()); }

QVector<int> toInts(const std::vector<int64_t>& values) {
  QVector<int> out;
  out.reserve(qsizetype(values.size()));
  // Clamped: a damaged file's huge ids become out-of-range experts, which the views skip.
  for (int64_t v : values)
    out.append(int(std::clamp<int64_t>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())));
  return out;
}

QVector<qint64> toInt64s(const std::vector<int64_t>& values) { return QVector<qint64>(values.begin(), values.end()); }

double attributeNumber(const DatasetSource& source, std::string_view path, std::string_view key) {
  const std::optional<AttributeValue> value = source.attribute(path, key);
  if (value) {
    if (const double* d = std::get_if<double>(&*value)) return *d;
    if (const int64_t* i = std::get_if<int64_t>(&*value)) return double(*i);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// The matrices the similarity view shows, as (dataset path inside the layer, key).
std::vector<std::pair<std::string, QString>> matrixDatasets(int layer) {
  std::vector<std::pair<std::string, QString>> out;
  for (std::string_view dataset : {layout::ds::kWeightsSimilarity, layout::ds::kNeuronMeanSimilarity,
                                   layout::ds::kNeuronReorderSimilarity, layout::ds::kNeuronReorderKendallTau}) {
    for (layout::Projection projection : layout::kProjections) {
      const QString key = fromView(dataset) + QLatin1Char('/') + fromView(layout::projectionName(projection));
      out.emplace_back(layout::layerPath(layer, dataset, projection), key);
    }
  }
  for (std::string_view dataset : {layout::ds::kGateEmbeddingSimilarity, layout::ds::kOutputAngularSimilarityMean})
    out.emplace_back(layout::layerPath(layer, dataset), fromView(dataset));
  return out;
}

widgets::LayerRoutingData readRouting(const DatasetSource& source, int layer, int experts, int top_k) {
  widgets::LayerRoutingData out;
  out.layer = layer;
  out.experts = experts;
  out.top_k = top_k;
  if (const auto ids = source.ints(layout::layerPath(layer, layout::ds::kTopkIds))) {
    if (ids->shape.size() == 2) out.top_k = int(ids->shape[1]);
    out.topk_ids = toInts(ids->values);
  }
  if (const auto weights = source.floats(layout::layerPath(layer, layout::ds::kTopkWeights)))
    out.topk_weights = toFloats(weights->values);
  if (const auto gates = source.floats(layout::layerPath(layer, layout::ds::kGateScores))) {
    if (gates->shape.size() == 2) out.experts = int(gates->shape[1]);
    out.gate_scores = toFloats(gates->values);
  }
  // A file without some of the arrays still shows what it has.
  const qsizetype tokens = out.top_k > 0 ? out.topk_ids.size() / out.top_k : 0;
  if (out.gate_scores.isEmpty() && tokens > 0) out.gate_scores.fill(0.0f, tokens * out.experts);
  if (out.topk_weights.isEmpty() && !out.topk_ids.isEmpty()) out.topk_weights.fill(0.0f, out.topk_ids.size());
  return out;
}

// The routing statistics (D6) and the scores-against-norms data (D3) of one layer.
void readStatistics(const DatasetSource& source, int layer, widgets::LayerAnalyses* out) {
  const std::string load_path = layout::layerPath(layer, layout::ds::kLoad);
  if (const auto load = source.floats(load_path)) {
    out->load = toFloats(load->values);
    out->load_entropy = attributeNumber(source, load_path, "entropy");
    out->load_normalised_entropy = attributeNumber(source, load_path, "normalised_entropy");
    out->load_coefficient_of_variation = attributeNumber(source, load_path, "coefficient_of_variation");
  }
  if (const auto coactivation = source.floats(layout::layerPath(layer, layout::ds::kCoactivation)))
    out->coactivation = toFloats(coactivation->values);
  if (const auto ranks = source.ints(layout::layerPath(layer, layout::ds::kRankCounts)))
    out->rank_counts = toInt64s(ranks->values);
  if (const auto norms = source.floats(layout::layerPath(layer, layout::ds::kOutputNorms)))
    out->output_norms = toFloats(norms->values);
}

void readMatrices(const DatasetSource& source, int layer, widgets::LayerAnalyses* out) {
  for (const auto& [dataset, key] : matrixDatasets(layer)) {
    const auto array = source.floats(dataset);
    if (!array || array->shape.size() != 2 || array->shape[0] != array->shape[1] || array->shape[0] <= 0) continue;
    widgets::SimilarityMatrix matrix;
    matrix.title = widgets::measureTitle(key);
    matrix.size = int(array->shape[0]);
    matrix.labels = toStringList(array->labels);
    matrix.values = toFloats(array->values);
    out->matrices.insert(key, matrix);
  }
}

QStringList ownerLabels(const std::vector<std::string>& labels, qsizetype count) {
  if (!labels.empty()) return toStringList(labels);
  QStringList numbered;
  for (qsizetype i = 0; i < count; ++i) numbered.append(QString::number(i));
  return numbered;
}

// [n, >=2] points; empty unless the shape is right.
bool readPoints(const FloatArray& array, widgets::PcaPoints* out, const std::vector<int64_t>& keep) {
  if (array.shape.size() != 2 || array.shape[1] < 2 || array.shape[0] <= 0) return false;
  const int64_t width = array.shape[1];
  out->x.reserve(qsizetype(keep.size()));
  out->y.reserve(qsizetype(keep.size()));
  for (int64_t row : keep) {
    out->x.append(array.values[size_t(row * width)]);
    out->y.append(array.values[size_t(row * width + 1)]);
  }
  return true;
}

}  // namespace

widgets::LayerPca readPca(const DatasetSource& source, int layer) {
  widgets::LayerPca out;
  out.layer = layer;
  // Every projection has the same neurons, so one owner array serves all three.
  const auto owners = source.ints(layout::layerPath(layer, layout::ds::kPcaNeuronExpert));
  for (layout::Projection projection : layout::kProjections) {
    const QString name = fromView(layout::projectionName(projection));
    if (const auto matrix = source.floats(layout::layerPath(layer, layout::ds::kPcaMatrix, projection))) {
      widgets::PcaPoints points;
      const int64_t n = matrix->shape.empty() ? 0 : matrix->shape[0];
      std::vector<int64_t> all(size_t(qMax<int64_t>(0, n)));
      for (int64_t i = 0; i < n; ++i) all[size_t(i)] = i;
      if (readPoints(*matrix, &points, all)) {
        points.labels = ownerLabels(matrix->labels, qsizetype(n));
        if (points.labels.size() == qsizetype(n)) {
          for (int64_t i = 0; i < n; ++i) points.owner.append(int(i));
          points.total = qsizetype(n);
          out.matrix.insert(name, points);
        }
      }
    }
    if (!owners) continue;
    const auto neuron = source.floats(layout::layerPath(layer, layout::ds::kPcaNeuron, projection));
    if (!neuron || !owners || neuron->shape.size() != 2 || owners->shape.size() != 1 ||
        neuron->shape[0] != owners->shape[0] || neuron->shape[0] <= 0)
      continue;
    const int64_t n = neuron->shape[0];
    widgets::PcaPoints points;
    points.labels = ownerLabels(owners->labels, 0);
    // An owner outside the labels would name no expert: the projection is not shown.
    bool owners_ok = true;
    for (int64_t owner : owners->values) owners_ok &= owner >= 0 && owner < int64_t(points.labels.size());
    if (!owners_ok) continue;
    points.total = qsizetype(n);
    points.owner_start.fill(-1, points.labels.size());
    for (int64_t row = 0; row < n; ++row) {
      qsizetype& start = points.owner_start[qsizetype(owners->values[size_t(row)])];
      if (start < 0) start = qsizetype(row);
    }
    points.stride = int((n + kMaxNeuronPcaPoints - 1) / kMaxNeuronPcaPoints);
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < n; i += points.stride) keep.push_back(i);
    if (!readPoints(*neuron, &points, keep)) continue;
    for (int64_t row : keep) points.owner.append(int(owners->values[size_t(row)]));
    out.neuron.insert(name, points);
  }
  return out;
}

LayerTokenSlices readTokenSlices(const DatasetSource& source, int layer, std::string_view dataset, qsizetype max_values) {
  LayerTokenSlices out;
  const std::string path = layout::layerPath(layer, dataset);
  const auto shape = source.shape(path);
  if (!shape || shape->size() != 3) return out;
  const int64_t count = (*shape)[0] * (*shape)[1] * (*shape)[2];
  if (count <= 0 || count > int64_t(max_values)) return out;
  const auto array = source.floats(path);
  if (!array) return out;
  out.layer = layer;
  out.tokens = int((*shape)[0]);
  out.rows = int((*shape)[1]);
  out.columns = int((*shape)[2]);
  out.labels = ownerLabels(array->labels, out.rows);
  out.values = toFloats(array->values);
  return out;
}

LoadedLayer readLayer(const DatasetSource& source, int layer, int experts, int top_k) {
  LoadedLayer out;
  out.analyses.layer = layer;
  readStatistics(source, layer, &out.analyses);
  readMatrices(source, layer, &out.analyses);
  out.routing = readRouting(source, layer, experts, top_k);
  if (out.analyses.output_norms.size() == out.routing.gate_scores.size())
    out.routing.output_norms = out.analyses.output_norms;
  out.pca = readPca(source, layer);
  return out;
}

QMap<QString, double> readLiveDiversity(const pipeline::LayerAnalysisResult& layer) {
  const std::string prefix = std::string(results::layout::kSummaryDiversityGroup) + "/";
  QMap<QString, double> out;
  for (const auto& [path, value] : layer.diversity)
    if (path.rfind(prefix, 0) == 0) out.insert(QString::fromStdString(path.substr(prefix.size())), value);
  return out;
}

}  // namespace moescope::view_data
