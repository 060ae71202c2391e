#pragma once
// Exact linear assignment on a dense square matrix: the neuron matching of analysis S3, where the
// answer must be the true optimum (as scipy.optimize.linear_sum_assignment), not a near one.
//
// Scores are float32, row-major n x n; all arithmetic is double. "Exact" means exact up to the
// rounding of double sums, exactly as scipy: ties between optima may be broken differently.
#include <cstdint>
#include <string>
#include <vector>

namespace moescope {
class CancelToken;
}

namespace moescope::analysis {

struct Assignment {
  std::vector<int64_t> column_of_row;  // a permutation of 0..n-1
  double total = 0.0;                  // sum over rows of scores[row][column_of_row[row]]
};

enum class Objective { Minimise, Maximise };

// Shortest augmenting paths with Jonker-Volgenant initialisation, O(n^3) worst case, O(n) extra
// memory (the matrix is read in place). Errors: InvalidArgument for n <= 0, a null matrix or a
// NaN/Inf entry; Cancelled when `cancel` fires.
Assignment solveAssignment(const float* scores, int64_t n, Objective objective,
                           const CancelToken* cancel = nullptr);
Assignment solveMaxAssignment(const float* scores, int64_t n, const CancelToken* cancel = nullptr);
Assignment solveMinAssignment(const float* costs, int64_t n, const CancelToken* cancel = nullptr);

// A head start for the exact solver, typically an auction's result. Prices make a column less
// attractive: under Maximise a row values column j at scores[row][j] - price[j], under Minimise
// it pays costs[row][j] + price[j]. Any start is accepted (garbage only costs time): rows whose
// column is not the best under the prices are dropped and re-routed by augmenting paths.
struct WarmStart {
  std::vector<double> column_prices;   // size n, finite
  std::vector<int64_t> column_of_row;  // size n; -1 for a row without a column, no column twice
};

struct WarmStartReport {
  int64_t rows_kept = 0;       // warm-start rows kept with their column (tightened ones included)
  int64_t rows_tightened = 0;  // of those, rows made best by lowering their column's price
  int64_t rows_rerouted = 0;  // rows that needed an augmenting path
};

Assignment solveAssignmentWarm(const float* scores, int64_t n, Objective objective, WarmStart start,
                               const CancelToken* cancel = nullptr, WarmStartReport* report = nullptr);

// Epsilon-scaling auction (Bertsekas) in batched torch ops, then the exact solver warm-started
// from its prices: the answer is the same optimum as solveMaxAssignment's, the auction only makes
// it cheaper for large n on a GPU.
struct AuctionOptions {
  // Epsilon starts at range / scaling and is divided by `scaling` each phase down to
  // range * final_epsilon_ratio / n (range = max - min score). The auction alone is then within
  // n * eps of optimal.
  double final_epsilon_ratio = 1e-6;
  double scaling = 8.0;
  // A phase's last rounds have few bidders and cost a launch each: with the exact finish, a phase
  // may stop with this fraction of rows unassigned; they are left to augmenting paths.
  double leave_unassigned = 0.01;
  // false returns the auction's own assignment (epsilon-optimal only): for tests and benchmarks.
  bool exact_finish = true;
};

struct AuctionReport {
  int phases = 0;
  int64_t rounds = 0;          // bidding rounds over all phases
  int64_t bids = 0;            // rows that bid, summed over rounds
  double final_epsilon = 0.0;  // in score units
  double auction_seconds = 0.0;
  double finish_seconds = 0.0;
  WarmStartReport finish;
};

// device: "cpu", "cuda" or "auto" (Error(Device) for cuda without a GPU). Reads `scores` in place
// for the exact finish; the auction works on a float64 copy on the device (8 n^2 bytes).
Assignment solveMaxAssignmentOnDevice(const float* scores, int64_t n, const std::string& device,
                                      const CancelToken* cancel = nullptr, const AuctionOptions& options = {},
                                      AuctionReport* report = nullptr);

}  // namespace moescope::analysis
