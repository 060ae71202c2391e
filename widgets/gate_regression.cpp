#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/analysis_data.h"

namespace moescope::widgets {

namespace {

struct Fit {
  double r = std::numeric_limits<double>::quiet_NaN();
};

// Pearson r of y on x over the pairs e > f of the leading n x n blocks; NaN when either is
// constant or a pair is missing.
Fit pearson(const SimilarityMatrix& gate, const SimilarityMatrix& weights, int n) {
  double mean_x = 0, mean_y = 0;
  int count = 0;
  for (int e = 1; e < n; ++e)
    for (int f = 0; f < e; ++f) {
      const double x = weights.at(e, f), y = gate.at(e, f);
      if (std::isnan(x) || std::isnan(y)) return {};
      mean_x += x, mean_y += y, ++count;
    }
  if (count < 2) return {};
  mean_x /= count, mean_y /= count;
  // Centred sums: similarities cluster near one value, where raw sums would cancel.
  double sxx = 0, syy = 0, sxy = 0;
  for (int e = 1; e < n; ++e)
    for (int f = 0; f < e; ++f) {
      const double dx = weights.at(e, f) - mean_x, dy = gate.at(e, f) - mean_y;
      sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
  if (!(sxx > 0 && syy > 0)) return {};
  return {std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0)};
}

}  // namespace

GateRegression gateRegressionOf(const QVector<LayerAnalyses>& layers) {
  GateRegression out;
  QVector<double> sums(GateRegression::kProjections, 0.0);
  QVector<int> counts(GateRegression::kProjections, 0);
  for (const LayerAnalyses& layer : layers) {
    const auto gate = layer.matrices.constFind(QStringLiteral("gate_embedding_similarity"));
    if (gate == layer.matrices.cend() || !gate->isConsistent()) continue;
    out.layers.append(layer.layer);
    for (int p = 0; p < GateRegression::kProjections; ++p) {
      const auto weights =
          layer.matrices.constFind(QStringLiteral("neuron_mean_similarity/") + GateRegression::projectionName(p));
      Fit fit;
      if (weights != layer.matrices.cend() && weights->isConsistent() && weights->size >= gate->size)
        fit = pearson(*gate, *weights, gate->size);
      out.r.append(float(fit.r));
      out.r2.append(float(fit.r * fit.r));
      if (!std::isnan(fit.r)) sums[p] += fit.r * fit.r, ++counts[p];
    }
  }
  // Nothing to fit against (no neuron-mean similarity anywhere): no fit at all.
  if (std::all_of(counts.cbegin(), counts.cend(), [](int count) { return count == 0; })) return {};
  for (int p = 0; p < GateRegression::kProjections; ++p)
    if (counts[p] > 0) out.mean_r2[p] = sums[p] / counts[p];
  return out;
}

}  // namespace moescope::widgets
