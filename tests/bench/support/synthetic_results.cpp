#include "tests/bench/support/synthetic_results.h"

#include <cmath>
#include <random>
#include <string>

#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::bench {

namespace layout = results::layout;

int plantedExpert(const SyntheticRunShape& shape, int layer, int token, int rank) {
  return (7 * token + 3 * layer + 11 * rank) % shape.experts;
}

namespace {

std::vector<std::string> expertLabels(int experts) {
  std::vector<std::string> labels;
  for (int e = 0; e < experts; ++e) labels.push_back(std::to_string(e));
  return labels;
}

// Symmetric [E, E] with 1 on the diagonal and values drawn from [low, high) elsewhere:
// cosines (from -0.2), or co-activation shares and angular similarities (from 0, as the file's
// checks require).
FloatArray similarity(int experts, std::mt19937& random, float low = -0.2f, float high = 0.6f) {
  std::uniform_real_distribution<float> value(low, high);
  FloatArray m({experts, experts});
  for (int a = 0; a < experts; ++a)
    for (int b = 0; b <= a; ++b) m.at(a, b) = m.at(b, a) = a == b ? 1.0f : value(random);
  m.labels = expertLabels(experts);
  return m;
}

}  // namespace

void writeSyntheticResults(const std::filesystem::path& path, const SyntheticRunShape& shape) {
  const int E = shape.experts, k = shape.top_k, T = shape.tokens, I = shape.expert_intermediate;
  results::RunMetadata meta;
  meta.model = std::string("/models/synthetic-").append(std::to_string(E)).append("x").append(std::to_string(shape.layers));
  meta.family = "deepseek";
  meta.layers = shape.layers;
  meta.experts = E;
  meta.top_k = k;
  meta.dtype = "float32";
  meta.device = "cpu";
  meta.analyses = {"weights", "neuron-mean", "gate", "pca", "routing", "norms", "diversity", "stats"};
  auto writer = results::ResultsWriter::create(path, meta);
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0.0f, 1.0f);

  IndexArray ids({T});
  std::vector<std::string> pieces;
  for (int t = 0; t < T; ++t) {
    ids.values[size_t(t)] = 1000 + (t * 37) % 30000;
    pieces.push_back(std::string("\u2581tok").append(std::to_string(t)));
  }
  writer.writeInt(layout::kTokenIds, ids);
  writer.writeStrings(layout::kTokenText, pieces);

  std::vector<int64_t> summary_layers;
  std::vector<float> diversity;
  for (int L = 0; L < shape.layers; ++L) {
    summary_layers.push_back(L);
    FloatArray logits({T, E}), scores({T, E}), norms({T, E}), weights({T, k});
    IndexArray chosen({T, k});
    std::vector<double> load(size_t(E), 0.0);
    double weight_sum = 0;
    for (int j = 0; j < k; ++j) weight_sum += 1.0 / (j + 1);
    for (int t = 0; t < T; ++t) {
      for (int e = 0; e < E; ++e) {
        logits.at(t, e) = noise(random);
        norms.at(t, e) = 5.0f + std::fabs(noise(random));
      }
      for (int j = 0; j < k; ++j) {
        const int e = plantedExpert(shape, L, t, j);
        chosen.at(t, j) = e;
        weights.at(t, j) = float(1.0 / (j + 1) / weight_sum);
        logits.at(t, e) = 4.0f - float(j) * 0.5f;
        load[size_t(e)] += 1.0 / (double(T) * k);
      }
      double z = 0;
      for (int e = 0; e < E; ++e) z += std::exp(double(logits.at(t, e)));
      for (int e = 0; e < E; ++e) scores.at(t, e) = float(std::exp(double(logits.at(t, e))) / z);
    }
    writer.writeFloat(layout::layerPath(L, layout::ds::kRouterLogits), logits);
    writer.writeFloat(layout::layerPath(L, layout::ds::kGateScores), scores);
    writer.writeInt(layout::layerPath(L, layout::ds::kTopkIds), chosen);
    writer.writeFloat(layout::layerPath(L, layout::ds::kTopkWeights), weights);
    writer.writeFloat(layout::layerPath(L, layout::ds::kOutputNorms), norms);

    IndexArray ranks({E, E});
    for (int t = 0; t < T; ++t) ranks.at(t % E, (t * 5) % E) += 1;
    writer.writeInt(layout::layerPath(L, layout::ds::kRankCounts), ranks);
    FloatArray shares({E});
    for (int e = 0; e < E; ++e) shares.values[size_t(e)] = float(load[size_t(e)]);
    shares.labels = expertLabels(E);
    writer.writeFloat(layout::layerPath(L, layout::ds::kLoad), shares);
    writer.setAttribute(layout::layerPath(L, layout::ds::kLoad), "entropy", AttributeValue(std::log(double(E)) * 0.9));
    writer.setAttribute(layout::layerPath(L, layout::ds::kLoad), "normalised_entropy", AttributeValue(0.9));
    writer.setAttribute(layout::layerPath(L, layout::ds::kLoad), "coefficient_of_variation", AttributeValue(0.4));
    writer.writeFloat(layout::layerPath(L, layout::ds::kCoactivation), similarity(E, random, 0.0f, 0.6f));

    for (layout::Projection p : layout::kProjections) {
      writer.writeFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, p), similarity(E, random));
      writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronMeanSimilarity, p), similarity(E, random));
      FloatArray matrix_points({E, 2});
      for (float& v : matrix_points.values) v = noise(random);
      matrix_points.labels = expertLabels(E);
      writer.writeFloat(layout::layerPath(L, layout::ds::kPcaMatrix, p), matrix_points);
      FloatArray neuron_points({int64_t(E) * I, 2});
      for (int64_t i = 0; i < int64_t(E) * I; ++i) {
        neuron_points.at(i, 0) = float(i / I % 8) + 0.3f * noise(random);
        neuron_points.at(i, 1) = float(i / I / 8) + 0.3f * noise(random);
      }
      writer.writeFloat(layout::layerPath(L, layout::ds::kPcaNeuron, p), neuron_points);
    }
    IndexArray owners({int64_t(E) * I});
    for (int64_t i = 0; i < int64_t(E) * I; ++i) owners.values[size_t(i)] = i / I;
    owners.labels = expertLabels(E);
    writer.writeInt(layout::layerPath(L, layout::ds::kPcaNeuronExpert), owners);
    writer.writeFloat(layout::layerPath(L, layout::ds::kGateEmbeddingSimilarity), similarity(E, random));
    writer.writeFloat(layout::layerPath(L, layout::ds::kOutputAngularSimilarityMean), similarity(E, random, 0.0f, 0.6f));
    diversity.push_back(0.2f + 0.01f * float(L));
  }
  writer.writeInt(layout::kSummaryLayers, IndexArray({shape.layers}, summary_layers));
  for (const char* measure : {"weights_similarity/up", "gate_embedding_similarity", "output_angular_similarity_mean"})
    writer.writeFloat(layout::diversityPath(measure), FloatArray({shape.layers}, diversity));
  writer.finish();
}

}  // namespace moescope::bench
