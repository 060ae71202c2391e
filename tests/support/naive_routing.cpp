#include "tests/support/naive_routing.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace moescope::test::naive {
namespace {

// One sparsemixer pick among the experts not in `excluded`.
void sparseMixerPick(const Vec& logits, double jitter_eps, Route& route) {
  const int64_t E = static_cast<int64_t>(logits.size());
  auto excluded = [&](int64_t j) { return std::find(route.ids.begin(), route.ids.end(), j) != route.ids.end(); };
  int64_t best = -1;
  for (int64_t j = 0; j < E; ++j)
    if (!excluded(j) && (best < 0 || logits[j] > logits[best])) best = j;
  const double m = logits[best];
  double total = 0;
  for (int64_t j = 0; j < E; ++j) {
    if (excluded(j)) continue;
    const double factor = std::max(std::fabs(logits[j]), m);
    if ((m - logits[j]) / factor > 2 * jitter_eps) continue;
    total += std::exp(logits[j] - m);
  }
  route.ids.push_back(best);
  route.weights.push_back(1.0 / total);  // exp(m - m) / total
}

// The k best entries of `selection` among the experts of the topk_group best groups (the
// others can never be chosen, as in DeepSeek's reference), best first, ties to the lower index.
std::vector<int64_t> groupLimitedPicks(const Vec& selection, const Vec& group_worth, int64_t k, Groups groups) {
  const int64_t E = static_cast<int64_t>(selection.size()), per_group = E / groups.n_group;
  std::vector<int64_t> group_order(static_cast<std::size_t>(groups.n_group));
  std::iota(group_order.begin(), group_order.end(), 0);
  std::stable_sort(group_order.begin(), group_order.end(),
                   [&](int64_t a, int64_t b) { return group_worth[a] > group_worth[b]; });
  Vec eligible(selection.size(), -INFINITY);
  for (int64_t g = 0; g < groups.topk_group; ++g)
    for (int64_t e = group_order[g] * per_group; e < (group_order[g] + 1) * per_group; ++e) eligible[e] = selection[e];
  std::vector<int64_t> order(selection.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return eligible[a] > eligible[b]; });
  return {order.begin(), order.begin() + k};
}

Route finishWeights(std::vector<int64_t> ids, const Vec& scores, bool renormalise, double scaling, bool always_scale) {
  Route route;
  route.ids = std::move(ids);
  double sum = 0;
  for (int64_t id : route.ids) sum += scores[id];
  const bool divide = renormalise && route.ids.size() > 1;
  for (int64_t id : route.ids) {
    double w = divide ? scores[id] / (sum + 1e-20) : scores[id];
    if (always_scale || !divide) w *= scaling;
    route.weights.push_back(w);
  }
  // The record lists the picks by descending mixing weight (V3's own topk leaves them unordered).
  std::vector<std::size_t> order(route.ids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return route.weights[a] > route.weights[b]; });
  Route sorted;
  for (std::size_t i : order) sorted.ids.push_back(route.ids[i]), sorted.weights.push_back(route.weights[i]);
  return sorted;
}

}  // namespace

Route groupLimitedSoftmax(const Vec& logits, int64_t k, Groups groups, bool renormalise, double scaling) {
  const Vec scores = softmax(logits);
  const int64_t per_group = static_cast<int64_t>(scores.size()) / groups.n_group;
  Vec worth(static_cast<std::size_t>(groups.n_group), 0.0);
  for (int64_t g = 0; g < groups.n_group; ++g)
    worth[g] = *std::max_element(scores.begin() + g * per_group, scores.begin() + (g + 1) * per_group);
  return finishWeights(groupLimitedPicks(scores, worth, k, groups), scores, renormalise, scaling, false);
}

Route sigmoidGroupTopK(const Vec& logits, const Vec& bias, int64_t k, Groups groups, bool renormalise, double scaling,
                       bool bias_in_weights) {
  Vec scores(logits.size()), selection(logits.size());
  for (std::size_t e = 0; e < logits.size(); ++e) {
    scores[e] = 1.0 / (1.0 + std::exp(-logits[e]));
    selection[e] = scores[e] + bias[e];
  }
  const int64_t per_group = static_cast<int64_t>(scores.size()) / groups.n_group;
  Vec worth(static_cast<std::size_t>(groups.n_group), 0.0);
  for (int64_t g = 0; g < groups.n_group; ++g) {
    Vec members(selection.begin() + g * per_group, selection.begin() + (g + 1) * per_group);
    std::sort(members.begin(), members.end(), std::greater<>());
    worth[g] = members[0] + members[1];
  }
  return finishWeights(groupLimitedPicks(selection, worth, k, groups), bias_in_weights ? selection : scores,
                       renormalise, scaling, true);
}

Route softmaxTopK(const Vec& logits, int64_t k, bool renormalise) {
  const Vec probs = softmax(logits);
  std::vector<int64_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return probs[a] > probs[b]; });
  Route route;
  double chosen = 0;
  for (int64_t j = 0; j < k; ++j) chosen += probs[order[j]];
  for (int64_t j = 0; j < k; ++j) {
    route.ids.push_back(order[j]);
    route.weights.push_back(renormalise ? probs[order[j]] / chosen : probs[order[j]]);
  }
  return route;
}

Route sparseMixer(const Vec& logits, double jitter_eps) {
  Route route;
  sparseMixerPick(logits, jitter_eps, route);
  sparseMixerPick(logits, jitter_eps, route);
  return route;
}

}  // namespace moescope::test::naive
