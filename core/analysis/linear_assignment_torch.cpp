#include "core/analysis/linear_assignment_torch.h"

// Bertsekas' auction, Jacobi flavour: every unassigned row bids at once, which is what a GPU is
// good at. A row bids for its best column j (value a_ij - p_j) and raises p_j by the margin over
// its second-best value plus eps; each column goes to its highest bidder, evicting the previous
// owner. At the end of a phase every row holds a column within eps of its best (eps-complementary
// slackness), so the total is within n * eps of the optimum; phases shrink eps and keep prices.
//
// That bound alone is exact only for integer scores, and rounding similarities to integers
// changes the problem. Instead the auction's prices and assignment warm-start the exact JV solver
// (solveAssignmentWarm), which keeps the rows that are exactly optimal under those prices and
// routes the rest by augmenting paths: the answer carries JV's optimality certificate, and the
// auction only decides how little work is left for it.
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#include "core/cancel_token.h"
#include "core/error.h"
#include "core/torch_support/device.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::analysis {
namespace {

using Clock = std::chrono::steady_clock;

struct AuctionState {
  at::Tensor prices;         // [n] float64, on the scores' device
  at::Tensor column_of_row;  // [n + 1] int64; slot n is a sink for masked writes, never read
  at::Tensor row_of_column;  // [n] int64
};

// One phase at a fixed eps, from an empty assignment, until at most `leave` rows are unassigned.
// Returns the number of rounds.
int64_t runPhase(const at::Tensor& benefit, AuctionState& s, double eps, int64_t leave, const CancelToken* cancel,
                 AuctionReport& report) {
  const int64_t n = benefit.size(0);
  const auto longs = at::TensorOptions().dtype(at::kLong).device(benefit.device());
  const at::Tensor sink = at::full({n}, n, longs), columns = at::arange(n, longs);
  s.column_of_row.fill_(-1);
  s.row_of_column.fill_(-1);
  int64_t rounds = 0;
  for (;; ++rounds) {
    // The only host synchronisation of a round: who is still unassigned.
    const at::Tensor bidders = (s.column_of_row.narrow(0, 0, n) < 0).nonzero().squeeze(1);
    const int64_t m = bidders.size(0);
    if (m <= leave) break;
    if (cancel) cancel->throwIfCancelled();
    report.bids += m;
    // Best and second-best value per bidder: two max reductions are much cheaper than topk(2).
    at::Tensor values = (m == n ? benefit : benefit.index_select(0, bidders)) - s.prices;
    const auto [best, column] = values.max(1);
    const at::Tensor second = values.scatter_(1, column.unsqueeze(1), -std::numeric_limits<double>::infinity()).amax(1);
    const at::Tensor bid = s.prices.index_select(0, column) + (best - second) + eps;
    // Highest bid per column, then one winner among equal bids (the highest row index).
    const at::Tensor top_bid = at::full({n}, -std::numeric_limits<double>::infinity(), s.prices.options())
                                   .scatter_reduce(0, column, bid, "amax");
    const at::Tensor wins = bid == top_bid.index_select(0, column);
    const at::Tensor winner = at::full({n}, -1, longs).scatter_reduce(
        0, column, at::where(wins, bidders, at::full_like(bidders, -1)), "amax");
    const at::Tensor won = winner >= 0;
    // Masked writes go to the sink slot instead of syncing on a boolean index.
    const at::Tensor evicted = at::where(won & (s.row_of_column >= 0), s.row_of_column, sink);
    s.column_of_row.scatter_(0, evicted, -1);
    s.column_of_row.scatter_(0, at::where(won, winner, sink), columns);
    s.row_of_column = at::where(won, winner, s.row_of_column);
    s.prices = at::where(won, top_bid, s.prices);
  }
  return rounds;
}

// The auction proper on `scores` (float32, square, on any device); returns prices and assignment.
WarmStart runAuction(const at::Tensor& scores, const AuctionOptions& options, const CancelToken* cancel,
                     AuctionReport& out) {
  const int64_t n = scores.size(0);
  if (!at::isfinite(scores).all().item<bool>())
    throw Error(ErrorCategory::InvalidArgument, "linear assignment: scores contain NaN or Inf");
  // float64 prices: eps ends near range * 1e-6 / n, far below float32's resolution of a price.
  const at::Tensor benefit = scores.to(at::kDouble).contiguous();
  const double range = benefit.max().item<double>() - benefit.min().item<double>();
  const auto longs = benefit.options().dtype(at::kLong);
  AuctionState state{at::zeros({n}, benefit.options()), at::full({n + 1}, -1, longs), at::full({n}, -1, longs)};
  if (n == 1 || range == 0.0) {  // every permutation is optimal; a bid needs two columns
    state.column_of_row.narrow(0, 0, n).copy_(at::arange(n, longs));
  } else {
    const double final_eps = range * options.final_epsilon_ratio / static_cast<double>(n);
    const auto leave =
        options.exact_finish ? static_cast<int64_t>(options.leave_unassigned * static_cast<double>(n)) : int64_t{0};
    double eps = range;
    do {
      eps = std::max(eps / options.scaling, final_eps);
      out.rounds += runPhase(benefit, state, eps, leave, cancel, out);
      ++out.phases;
    } while (eps > final_eps);
    out.final_epsilon = eps;
  }
  const at::Tensor prices = state.prices.to(at::kCPU).contiguous();
  const at::Tensor columns = state.column_of_row.narrow(0, 0, n).to(at::kCPU).contiguous();
  WarmStart warm;
  warm.column_prices.assign(prices.data_ptr<double>(), prices.data_ptr<double>() + n);
  warm.column_of_row.assign(columns.data_ptr<int64_t>(), columns.data_ptr<int64_t>() + n);
  return warm;
}

// Auction on `scores`, exact finish on `host`, the same matrix in host memory (row-major).
Assignment auctionAndFinish(const at::Tensor& scores, const float* host, const AuctionOptions& options,
                            const CancelToken* cancel, AuctionReport* report) {
  AuctionReport local;
  AuctionReport& out = report ? *report : local;
  out = {};
  if (!(options.scaling > 1.0) || !(options.final_epsilon_ratio > 0.0) ||
      !(options.leave_unassigned >= 0.0 && options.leave_unassigned <= 1.0))
    throw Error(ErrorCategory::InvalidArgument,
                "linear assignment: auction needs scaling > 1, a positive epsilon and leave_unassigned in [0, 1]");
  if (cancel) cancel->throwIfCancelled();
  const int64_t n = scores.size(0);

  auto start = Clock::now();
  WarmStart warm = torch_support::guardTorch("linear assignment auction", [&] { return runAuction(scores, options, cancel, out); });
  out.auction_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  start = Clock::now();
  Assignment result;
  if (options.exact_finish) {
    result = solveAssignmentWarm(host, n, Objective::Maximise, std::move(warm), cancel, &out.finish);
  } else {
    result.column_of_row = std::move(warm.column_of_row);
    for (int64_t i = 0; i < n; ++i) result.total += static_cast<double>(host[i * n + result.column_of_row[i]]);
  }
  out.finish_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace

Assignment solveMaxAssignmentTorch(const at::Tensor& scores, const CancelToken* cancel, const AuctionOptions& options,
                                   AuctionReport* report) {
  if (scores.dim() != 2 || scores.size(0) != scores.size(1) || scores.size(0) == 0)
    throw Error(ErrorCategory::InvalidArgument, "linear assignment: scores must be a non-empty square matrix");
  const auto [single, host] = torch_support::guardTorch("linear assignment input", [&] {
    const at::Tensor as_float = scores.to(at::kFloat);
    return std::make_pair(as_float, as_float.to(at::kCPU).contiguous());
  });
  return auctionAndFinish(single, host.data_ptr<float>(), options, cancel, report);
}

Assignment solveMaxAssignmentOnDevice(const float* scores, int64_t n, const std::string& device,
                                      const CancelToken* cancel, const AuctionOptions& options, AuctionReport* report) {
  if (n <= 0 || !scores) throw Error(ErrorCategory::InvalidArgument, "linear assignment: empty matrix");
  const std::string where = torch_support::resolveDevice(torch_support::parseDevicePreference(device));
  // from_blob only views the caller's memory, which the exact finish then reads in place.
  const at::Tensor placed = torch_support::guardTorch("linear assignment input", [&] {
    const at::Tensor view = at::from_blob(const_cast<float*>(scores), {n, n}, at::kFloat);
    return where == "cuda" ? view.to(at::Device(at::kCUDA, 0)) : view;
  });
  return auctionAndFinish(placed, scores, options, cancel, report);
}

}  // namespace moescope::analysis
