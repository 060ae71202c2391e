#include "core/analysis/kendall_tau.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"

namespace moescope::analysis {
namespace {

// Pairs inside runs of equal values of a sorted sequence: sum of t(t-1)/2.
template <class T>
int64_t tiedPairs(const std::vector<T>& sorted) {
  int64_t pairs = 0, run = 1;
  for (std::size_t k = 1; k <= sorted.size(); ++k) {
    if (k < sorted.size() && sorted[k] == sorted[k - 1]) {
      ++run;
    } else {
      pairs += run * (run - 1) / 2;
      run = 1;
    }
  }
  return pairs;
}

// Sorts ascending with a bottom-up merge sort and returns the number of strictly inverted pairs
// (i < j, a[i] > a[j]): each element taken from the right half jumps over the rest of the left.
template <class T>
int64_t sortCountingInversions(std::vector<T>& values) {
  const std::size_t n = values.size();
  std::vector<T> buffer(n);
  int64_t inversions = 0;
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      std::size_t a = lo, b = mid, out = lo;
      while (a < mid && b < hi) {
        if (values[b] < values[a]) {  // ties keep their order: a tie is not discordant
          inversions += static_cast<int64_t>(mid - a);
          buffer[out++] = values[b++];
        } else {
          buffer[out++] = values[a++];
        }
      }
      while (a < mid) buffer[out++] = values[a++];
      while (b < hi) buffer[out++] = values[b++];
    }
    values.swap(buffer);
  }
  return inversions;
}

// The tau-b formula in scipy's order of operations, so that results agree to the last bit.
double tauB(int64_t n, int64_t x_ties, int64_t y_ties, int64_t joint_ties, int64_t discordant) {
  const int64_t total = n * (n - 1) / 2;
  if (total - x_ties == 0 || total - y_ties == 0) return std::numeric_limits<double>::quiet_NaN();
  const int64_t concordant_minus_discordant = total - x_ties - y_ties + joint_ties - 2 * discordant;
  const double tau = static_cast<double>(concordant_minus_discordant) / std::sqrt(static_cast<double>(total - x_ties)) /
                     std::sqrt(static_cast<double>(total - y_ties));
  return std::clamp(tau, -1.0, 1.0);
}

}  // namespace

double kendallTau(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size())
    throw Error(ErrorCategory::InvalidArgument, "Kendall's tau: sequences of different lengths");
  const std::size_t n = x.size();
  for (std::size_t k = 0; k < n; ++k)
    if (std::isnan(x[k]) || std::isnan(y[k])) throw Error(ErrorCategory::InvalidArgument, "Kendall's tau: NaN entry");
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();

  // Order by x, ties by y: within a run of equal x, y is ascending and adds no inversion, so the
  // inversions of y in this order are exactly the discordant pairs.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return x[a] < x[b] || (x[a] == x[b] && y[a] < y[b]); });
  int64_t x_ties = 0, joint_ties = 0, x_run = 1, joint_run = 1;
  for (std::size_t k = 1; k <= n; ++k) {
    const bool same_x = k < n && x[order[k]] == x[order[k - 1]];
    const bool same_xy = same_x && y[order[k]] == y[order[k - 1]];
    if (same_xy) {
      ++joint_run;
    } else {
      joint_ties += joint_run * (joint_run - 1) / 2;
      joint_run = 1;
    }
    if (same_x) {
      ++x_run;
    } else {
      x_ties += x_run * (x_run - 1) / 2;
      x_run = 1;
    }
  }
  std::vector<double> ys(n);
  for (std::size_t k = 0; k < n; ++k) ys[k] = y[order[k]];
  const int64_t discordant = sortCountingInversions(ys);
  return tauB(static_cast<int64_t>(n), x_ties, tiedPairs(ys), joint_ties, discordant);
}

double kendallTauAgainstIdentity(std::span<const int64_t> permutation) {
  const std::size_t n = permutation.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  std::vector<int64_t> ys(permutation.begin(), permutation.end());  // x = position: already sorted, no ties
  const int64_t discordant = sortCountingInversions(ys);
  return tauB(static_cast<int64_t>(n), 0, tiedPairs(ys), 0, discordant);
}

}  // namespace moescope::analysis
