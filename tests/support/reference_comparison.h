#pragma once
// Comparing an engine run with the plain double-precision reference (naive_reference.h): the
// run options the comparisons use and the distances they measure. Header-only so that suites
// without the engine keep linking the support library alone.
#include <QString>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "tests/support/naive_reference.h"
#include "tests/support/tiny_model.h"

namespace moescope::test {

// Largest absolute difference of two equally long sequences; infinity when their lengths
// differ, so a missing capture never passes as a match.
template <class A, class B>
double maxAbsDiff(const std::vector<A>& a, const std::vector<B>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
  return worst;
}

// CPU in float32, where the engine should agree with the reference to rounding. With
// capture_all the run records everything a layer comparison needs; without, the logits only.
inline engine::RunOptions cpuFloat32(bool capture_all = true) {
  engine::RunOptions options;
  options.device = torch_support::DevicePreference::Cpu;
  options.dtype = torch_support::ComputeDType::Float32;
  options.capture.logits = true;
  if (capture_all) options.capture.moe_input = options.capture.expert_outputs = options.capture.activations = true;
  return options;
}

// Largest difference over the routing record and the final logits; infinity when any token
// chose other experts. Enough to tell a faithful reference from a mutated one.
inline double largestDifference(const engine::ForwardResult& got, const NaiveResult& want) {
  if (got.moe_layers.size() != want.layers.size()) return INFINITY;
  double worst = maxAbsDiff(got.logits, want.logits);
  for (std::size_t L = 0; L < want.layers.size(); ++L) {
    if (got.moe_layers[L].topk_ids != want.layers[L].topk_ids) return INFINITY;
    worst = std::max(worst, maxAbsDiff(got.moe_layers[L].topk_weights, want.layers[L].topk_weights));
  }
  return worst;
}

// Every captured quantity of every MoE layer (router logits, choices, weights, MoE inputs,
// each expert's output and activation, the shared expert) and the final logits, within float32
// tolerances. Empty when all agree, else what differs first and where.
inline QString referenceMismatch(const engine::ForwardResult& got, const NaiveResult& want) {
  if (got.moe_layers.size() != want.layers.size())
    return QString("%1 MoE layers, the reference has %2").arg(got.moe_layers.size()).arg(want.layers.size());
  for (std::size_t L = 0; L < want.layers.size(); ++L) {
    const auto& g = got.moe_layers[L];
    const auto& w = want.layers[L];
    const QString where = QString("layer %1: ").arg(w.layer);
    if (g.layer != w.layer) return where + QString("the engine calls it layer %1").arg(g.layer);
    if (g.topk_ids != w.topk_ids) return where + "other experts chosen";
    const struct {
      const char* name;
      double difference;
      double tolerance;
    } checks[] = {
        {"router logits", maxAbsDiff(g.router_logits, w.router_logits), 1e-4},
        {"mixing weights", maxAbsDiff(g.topk_weights, w.topk_weights), 1e-5},
        {"MoE input", maxAbsDiff(g.moe_input, w.moe_input), 1e-4},
        {"expert outputs", maxAbsDiff(g.expert_outputs, w.expert_outputs), 1e-4},
        {"activations", maxAbsDiff(g.activations, w.activations), 1e-4},
        {"shared expert weights", maxAbsDiff(g.shared_expert_weights, w.shared_weights), 1e-5},
        {"shared expert output", maxAbsDiff(g.shared_expert_output, w.shared_output), 1e-4},
    };
    for (const auto& check : checks)
      if (!(check.difference < check.tolerance)) return where + QString("%1 differ by %2").arg(check.name).arg(check.difference);
  }
  if (const double d = maxAbsDiff(got.logits, want.logits); !(d < 1e-3)) return QString("logits differ by %1").arg(d);
  return {};
}

// How far the faithful reference and the one mutated as named (mutationNamed) land from the
// engine's float32 run of spec's checkpoint on ids: a suite checks that the first is within
// rounding and the second far outside, so the comparison would catch that slip.
struct MutationGap {
  double faithful = INFINITY;
  double mutated = 0;
};

inline MutationGap mutationGap(const TinySpec& spec, const std::vector<int64_t>& ids, const std::string& mutation) {
  QTemporaryDir tmp;
  const TinyWeights weights = writeTinyModel(tmp.path().toStdString(), spec);
  const engine::ForwardResult run =
      engine::runForward(checkpoint::openModel(tmp.path().toStdString()), ids, cpuFloat32(false));
  return {largestDifference(run, naiveForward(spec, weights, ids)),
          largestDifference(run, naiveForward(spec, weights, ids, mutationNamed(mutation)))};
}

// Empty when the faithful reference agrees with the engine within rounding (1e-3) and the one
// mutated as named misses it by more than 1e-2 (see mutationGap); else which of the two failed.
inline QString mutationProblem(const TinySpec& spec, const std::vector<int64_t>& ids, const std::string& mutation) {
  const auto [faithful, mutated] = mutationGap(spec, ids, mutation);
  if (!(faithful < 1e-3)) return QString("faithful reference differs by %1").arg(faithful);
  if (!(mutated > 1e-2)) return QString("mutation %1 shows only %2").arg(QString::fromStdString(mutation)).arg(mutated);
  return {};
}

// `count` token ids spread over the vocabulary without a pattern a model could exploit:
// (5 t^2 + 3 t + 2) mod vocab.
inline std::vector<int64_t> spreadIds(int64_t count, int64_t vocab) {
  std::vector<int64_t> ids;
  for (int64_t t = 0; t < count; ++t) ids.push_back((5 * t * t + 3 * t + 2) % vocab);
  return ids;
}

}  // namespace moescope::test
