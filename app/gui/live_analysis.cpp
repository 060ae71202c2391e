#include "app/gui/live_analysis.h"

#include <cmath>
#include <limits>

namespace moescope::gui {

namespace {

// Kendall's tau compares neuron orders, not experts: the run's summary has no curve for it.
bool hasDiversityCurve(const QString& key) { return !key.startsWith(QLatin1String("neuron_reorder_kendall_tau")); }

}  // namespace

void LiveAnalysis::begin(const QVector<int>& planned_layers, int experts) {
  planned_ = planned_layers;
  experts_ = experts;
  analyses_.clear();
  pca_.clear();
  activations_ = std::make_shared<view_data::MemoryActivations>();
}

void LiveAnalysis::add(const view_data::LoadedLayer& layer) {
  analyses_.append(layer.analyses);
  pca_.append(layer.pca);
  activations_->append(layer.activations);
}

double LiveAnalysis::expertDiversity(const widgets::SimilarityMatrix& matrix, int experts) {
  const int n = qMin(experts, matrix.size);
  if (!matrix.isConsistent() || n < 2) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  int count = 0;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double v = matrix.at(r, c);
      if (r == c || std::isnan(v)) continue;
      sum += v;
      ++count;
    }
  return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

widgets::DiversityCurves LiveAnalysis::diversity() const {
  widgets::DiversityCurves out;
  out.layers = planned_;
  for (qsizetype i = 0; i < analyses_.size() && i < planned_.size(); ++i) {
    const widgets::LayerAnalyses& layer = analyses_[i];
    for (auto it = layer.matrices.cbegin(); it != layer.matrices.cend(); ++it) {
      if (!hasDiversityCurve(it.key())) continue;
      auto curve = out.curves.find(it.key());
      if (curve == out.curves.end())
        curve = out.curves.insert(it.key(), QVector<float>(planned_.size(), std::numeric_limits<float>::quiet_NaN()));
      (*curve)[i] = float(expertDiversity(*it, experts_));
    }
  }
  return out;
}

}  // namespace moescope::gui
