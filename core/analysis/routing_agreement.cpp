#include "core/analysis/routing_agreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "core/analysis/kendall_tau.h"
#include "core/error.h"

namespace moescope::analysis {
namespace {

[[noreturn]] void mismatch(const std::string& what) {
  throw Error(ErrorCategory::InvalidArgument, "the two runs cannot be compared: " + what);
}

void checkShape(const LayerChoices& x, const char* run) {
  if (x.tokens < 0 || x.experts <= 0 || x.top_k <= 0 || x.top_k > x.experts ||
      x.topk_ids.size() != static_cast<std::size_t>(x.tokens * x.top_k) ||
      x.router_logits.size() != static_cast<std::size_t>(x.tokens * x.experts))
    mismatch(std::string("run ") + run + "'s layer " + std::to_string(x.layer) +
             " does not hold tokens x top_k expert ids and tokens x experts router logits");
}

LayerAgreement compareLayer(const LayerChoices& a, const LayerChoices& b) {
  checkShape(a, "A");
  checkShape(b, "B");
  const std::string where = "layer " + std::to_string(a.layer) + ": ";
  if (a.tokens != b.tokens)
    mismatch(where + std::to_string(a.tokens) + " tokens against " + std::to_string(b.tokens));
  if (a.experts != b.experts)
    mismatch(where + std::to_string(a.experts) + " experts against " + std::to_string(b.experts));
  if (a.top_k != b.top_k) mismatch(where + "top-" + std::to_string(a.top_k) + " against top-" + std::to_string(b.top_k));
  LayerAgreement out;
  out.layer = a.layer;
  const int64_t k = a.top_k;
  double top1 = 0, overlap = 0, jaccard = 0, tau_sum = 0;
  int64_t tau_rows = 0;
  for (int64_t t = 0; t < a.tokens; ++t) {
    std::vector<int64_t> x(a.topk_ids.begin() + t * k, a.topk_ids.begin() + (t + 1) * k);
    std::vector<int64_t> y(b.topk_ids.begin() + t * k, b.topk_ids.begin() + (t + 1) * k);
    top1 += x.front() == y.front() ? 1 : 0;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    std::vector<int64_t> common;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
    overlap += static_cast<double>(common.size()) / static_cast<double>(k);
    jaccard += static_cast<double>(common.size()) / static_cast<double>(2 * k - static_cast<int64_t>(common.size()));
    if (x != y) {
      ++out.tokens_with_other_experts;
      out.tokens_differing.push_back(t);
    }
    const std::span<const double> row_a(a.router_logits.data() + t * a.experts, static_cast<std::size_t>(a.experts));
    const std::span<const double> row_b(b.router_logits.data() + t * b.experts, static_cast<std::size_t>(b.experts));
    const bool finite = std::all_of(row_a.begin(), row_a.end(), [](double v) { return std::isfinite(v); }) &&
                        std::all_of(row_b.begin(), row_b.end(), [](double v) { return std::isfinite(v); });
    if (!finite) continue;
    const double tau = kendallTau(row_a, row_b);
    if (std::isnan(tau)) continue;
    tau_sum += tau;
    ++tau_rows;
  }
  const double tokens = static_cast<double>(std::max<int64_t>(a.tokens, 1));
  out.top1_agreement = top1 / tokens;
  out.topk_overlap = overlap / tokens;
  out.jaccard = jaccard / tokens;
  out.kendall_tau = tau_rows > 0 ? tau_sum / static_cast<double>(tau_rows) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace

RoutingAgreement compareRouting(const std::vector<LayerChoices>& a, const std::vector<LayerChoices>& b) {
  if (a.size() != b.size())
    mismatch("run A has " + std::to_string(a.size()) + " MoE layers, run B " + std::to_string(b.size()));
  RoutingAgreement out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].layer != b[i].layer)
      mismatch("MoE layer " + std::to_string(i) + " is decoder layer " + std::to_string(a[i].layer) + " in run A, " +
               std::to_string(b[i].layer) + " in run B");
    out.layers.push_back(compareLayer(a[i], b[i]));
    if (!out.first_divergent_layer && out.layers.back().tokens_with_other_experts > 0)
      out.first_divergent_layer = a[i].layer;
  }
  return out;
}

}  // namespace moescope::analysis
