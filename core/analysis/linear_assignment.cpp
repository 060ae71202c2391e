#include "core/analysis/linear_assignment.h"

// Jonker & Volgenant (1987), "A shortest augmenting path algorithm for dense and sparse linear
// assignment problems", in the minimisation form: column potentials v, reduced cost
// r(i,j) = c(i,j) - v[j]. The one invariant everything rests on:
//
//   (I) every assigned row's column attains the minimum reduced cost of that row.
//
// Under (I) the edge weights of the alternating graph, r(i,k) - r(i,x[i]), are >= 0, so Dijkstra
// from a free row finds a shortest augmenting path, and the potential update afterwards restores
// (I) with one more row assigned. After n rows, complementary slackness holds with
// u[i] = min_j r(i,j): the assignment is optimal (the LP dual certificate), whatever the start.
// The initialisation (column reduction, reduction transfer, augmenting row reduction) only
// assigns cheap rows early and keeps (I), so exactness never depends on it.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "core/cancel_token.h"
#include "core/error.h"

namespace moescope::analysis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Two doubles per vector, the width every x86-64 (SSE2) and ARMv8 (NEON) CPU has natively; the
// loop handles two vectors per step. Selections are bitwise and/andnot/or: SSE2 has no blend,
// and GCC turns a vector ?: into scalar code there.
using Vd = double __attribute__((vector_size(16)));
using Vi = int64_t __attribute__((vector_size(16)));
using Vf = float __attribute__((vector_size(8)));
constexpr int64_t kLanes = 2;

inline Vd blend(Vi mask, Vd yes, Vd no) { return (Vd)((mask & (Vi)yes) | (~mask & (Vi)no)); }
inline Vi blend(Vi mask, Vi yes, Vi no) { return (mask & yes) | (~mask & no); }

// Scores are read in place, negated on the fly for maximisation (exact in double): the matrix is
// 800 MB at n = 14336 and must not be copied.
template <bool Negate>
inline double costAt(const float* row, int64_t j) {
  const double c = row[j];
  return Negate ? -c : c;
}

struct State {
  int64_t n = 0;
  std::vector<double> v;   // column potentials
  std::vector<int64_t> x;  // column of row, -1 when free
  std::vector<int64_t> y;  // row of column, -1 when free
  explicit State(int64_t size)
      : n(size), v(static_cast<std::size_t>(size), 0.0), x(static_cast<std::size_t>(size), -1),
        y(static_cast<std::size_t>(size), -1) {}
};

// One lane group of relaxRow: candidate, update of d and pred, running minimum.
template <bool Negate>
struct RelaxStep {
  Vd mu, r_ij;
  Vi row;
  Vd best;
  Vi best_at;

  void operator()(const float* c_row, const double* vw, double* d, int64_t* pred, int64_t k) {
    Vf cf;
    Vd v, dk;
    Vi pk;
    std::memcpy(&cf, c_row + k, sizeof cf);
    std::memcpy(&v, vw + k, sizeof v);
    std::memcpy(&dk, d + k, sizeof dk);
    std::memcpy(&pk, pred + k, sizeof pk);
    Vd c = __builtin_convertvector(cf, Vd);
    if constexpr (Negate) c = -c;
    const Vd cand = mu + ((c - v) - r_ij);
    const Vi better = cand < dk;
    dk = blend(better, cand, dk);
    pk = blend(better, row, pk);
    std::memcpy(d + k, &dk, sizeof dk);
    std::memcpy(pred + k, &pk, sizeof pk);
    const Vi lower = dk < best;
    best = blend(lower, dk, best);
    best_at = blend(lower, Vi{0, 1} + k, best_at);
  }
};

struct Minimum {
  double value = kInf;
  int64_t at = -1;
};

// One Dijkstra relaxation from row i, reached through a column at distance mu whose reduced cost
// in row i is r_ij: d[k] = min(d[k], mu + (r(i,k) - r_ij)). Written as mu + (difference) the
// candidate is >= mu exactly in floating point whenever (I) holds, so distances never decrease.
// Scanned columns carry vw[k] = -inf (candidate +inf, never taken) and d[k] = +inf (never the
// minimum). Returns the minimum of d, the first column on a tie.
template <bool Negate>
Minimum relaxRow(const float* row, int64_t i, double mu, double r_ij, int64_t n, const double* vw, double* d,
                 int64_t* pred) {
  // Two independent accumulators so that consecutive steps do not wait on each other.
  RelaxStep<Negate> even{Vd{} + mu, Vd{} + r_ij, Vi{} + i, Vd{} + kInf, Vi{} - 1}, odd = even;
  int64_t k = 0;
  for (; k + 2 * kLanes <= n; k += 2 * kLanes) {
    even(row, vw, d, pred, k);
    odd(row, vw, d, pred, k + kLanes);
  }
  Minimum m;
  for (const RelaxStep<Negate>* part : {&even, &odd}) {
    for (int lane = 0; lane < kLanes; ++lane) {
      const double b = part->best[lane];
      const int64_t at = part->best_at[lane];
      if (b < m.value || (b == m.value && at < m.at)) m.value = b, m.at = at;
    }
  }
  for (; k < n; ++k) {
    const double cand = mu + ((costAt<Negate>(row, k) - vw[k]) - r_ij);
    if (cand < d[k]) d[k] = cand, pred[k] = i;
    if (d[k] < m.value) m.value = d[k], m.at = k;
  }
  return m;
}

template <bool Negate>
class Solver {
 public:
  Solver(const float* scores, State& state, const CancelToken* cancel)
      : c_(scores), s_(state), n_(state.n), cancel_(cancel) {}

  const float* row(int64_t i) const { return c_ + i * n_; }
  double reduced(int64_t i, int64_t j) const { return costAt<Negate>(row(i), j) - s_.v[j]; }

  // Column reduction and reduction transfer; returns the free rows.
  std::vector<int64_t> initialise() {
    std::vector<int64_t> imin(static_cast<std::size_t>(n_), 0);
    std::fill(s_.v.begin(), s_.v.end(), kInf);
    for (int64_t i = 0; i < n_; ++i) {  // row-major: running column minima
      const float* r = row(i);
      for (int64_t j = 0; j < n_; ++j) {
        const double c = costAt<Negate>(r, j);
        const bool lower = c < s_.v[j];
        imin[j] = lower ? i : imin[j];
        s_.v[j] = lower ? c : s_.v[j];
      }
    }
    std::vector<int64_t> matches(static_cast<std::size_t>(n_), 0);
    for (int64_t j = n_ - 1; j >= 0; --j) {  // all reduced costs are >= 0 now: (I) holds trivially
      const int64_t i = imin[j];
      if (matches[i]++ == 0) s_.x[i] = j, s_.y[j] = i;
    }
    std::vector<int64_t> free_rows;
    for (int64_t i = 0; i < n_; ++i) {
      if (matches[i] == 0) {
        free_rows.push_back(i);
      } else if (matches[i] == 1 && n_ > 1) {
        // Reduction transfer: lower v of the row's only column until its reduced cost in this
        // row reaches the row's second best. It stays the row's minimum (I), and the other rows,
        // for which the column only gets dearer, are steered towards other columns.
        const int64_t j1 = s_.x[i];
        double second = kInf;
        for (int64_t j = 0; j < n_; ++j)
          if (j != j1) second = std::min(second, reduced(i, j));
        s_.v[j1] -= second;
      }
    }
    return free_rows;
  }

  // Augmenting row reduction: an auction-like pass where a free row takes its best column and
  // lowers that column's potential to the row's second-best, evicting the previous owner. Each
  // step keeps (I). It terminates in exact arithmetic; with floats a chain of ever smaller
  // decreases could run long, so a step budget hands the rest to the exact augmentation. On
  // random cosine matrices (n = 2048..4096) the passes would take 70-100 n steps; 32 n of them
  // minimised the total time, a step costing about half of one relaxRow pass.
  std::vector<int64_t> reduceRows(std::vector<int64_t> free_rows, int passes) {
    int64_t budget = 32 * n_ + 64;
    for (int pass = 0; pass < passes && !free_rows.empty(); ++pass) {
      const std::size_t previous = free_rows.size();
      std::size_t k = 0, kept = 0;  // kept <= k: deferred rows overwrite consumed slots
      while (k < previous) {
        if (--budget < 0) {  // leftover: the unprocessed rows and the deferred ones
          std::vector<int64_t> rest(free_rows.begin(), free_rows.begin() + static_cast<std::ptrdiff_t>(kept));
          rest.insert(rest.end(), free_rows.begin() + static_cast<std::ptrdiff_t>(k),
                      free_rows.begin() + static_cast<std::ptrdiff_t>(previous));
          return rest;
        }
        if ((budget & 255) == 0 && cancel_) cancel_->throwIfCancelled();
        const int64_t i = free_rows[k++];
        const float* r = row(i);
        double u1 = costAt<Negate>(r, 0) - s_.v[0], u2 = kInf;
        int64_t j1 = 0, j2 = 0;
        for (int64_t j = 1; j < n_; ++j) {
          const double h = costAt<Negate>(r, j) - s_.v[j];
          if (h < u2) {
            if (h >= u1) {
              u2 = h, j2 = j;
            } else {
              u2 = u1, u1 = h, j2 = j1, j1 = j;
            }
          }
        }
        int64_t i0 = s_.y[j1];
        const bool strict = u1 < u2;
        if (strict) {
          s_.v[j1] -= u2 - u1;
        } else if (i0 >= 0) {  // a tie: the second-best column may be free
          j1 = j2;
          i0 = s_.y[j2];
        }
        s_.x[i] = j1;
        s_.y[j1] = i;
        if (i0 >= 0) {
          s_.x[i0] = -1;
          if (strict) {
            free_rows[--k] = i0;  // continue the chain with the evicted row at once
          } else {
            free_rows[kept++] = i0;  // no progress possible now: next pass
          }
        }
      }
      free_rows.resize(kept);
    }
    return free_rows;
  }

  // Dijkstra from every free row (see relaxRow), then the potential update and the augmentation.
  void augment(const std::vector<int64_t>& free_rows) {
    const auto size = static_cast<std::size_t>(n_);
    std::vector<double> d(size), vw(s_.v);
    std::vector<int64_t> pred(size), scanned;
    std::vector<double> scanned_at;
    // Free columns are as many as free rows, few after the initialisation: a list beats a
    // per-column test in the relaxation loop. A search ends when one is at the minimum distance.
    std::vector<int64_t> free_columns;
    for (int64_t j = 0; j < n_; ++j)
      if (s_.y[j] < 0) free_columns.push_back(j);
    auto nearestFree = [&] {
      Minimum m;
      for (const int64_t j : free_columns)
        if (d[j] < m.value || (d[j] == m.value && j < m.at)) m.value = d[j], m.at = j;
      return m;
    };
    for (const int64_t f : free_rows) {
      if (cancel_) cancel_->throwIfCancelled();
      std::fill(d.begin(), d.end(), kInf);
      Minimum m = relaxRow<Negate>(row(f), f, 0.0, 0.0, n_, vw.data(), d.data(), pred.data());
      scanned.clear();
      scanned_at.clear();
      int64_t end = -1;
      double mu = 0.0;
      for (;;) {
        if (!(m.value < kInf)) throw Error(ErrorCategory::Internal, "linear assignment: no augmenting path");
        const Minimum free = nearestFree();
        if (free.value == m.value) {  // never below: the minimum is over all columns
          end = free.at, mu = free.value;
          break;
        }
        const int64_t j = m.at, i = s_.y[j];
        mu = m.value;
        scanned.push_back(j);
        scanned_at.push_back(mu);
        d[j] = kInf;
        vw[j] = -kInf;
        m = relaxRow<Negate>(row(i), i, mu, reduced(i, j), n_, vw.data(), d.data(), pred.data());
      }
      for (std::size_t t = 0; t < scanned.size(); ++t) {
        const int64_t j = scanned[t];
        s_.v[j] += scanned_at[t] - mu;  // <= 0: scanned columns get cheaper, keeping (I)
        vw[j] = s_.v[j];
      }
      for (int64_t j = end;;) {  // flip the path: each row takes the column it was reached by
        const int64_t i = pred[j];
        s_.y[j] = i;
        std::swap(s_.x[i], j);
        if (i == f) break;
      }
      free_columns.erase(std::find(free_columns.begin(), free_columns.end(), end));
    }
  }

  // Keeps the warm start's assigned rows that satisfy (I) exactly, after lowering the price of
  // a row's column to close its gap where no other row would then prefer that column; frees
  // the rest. Returns the free rows.
  std::vector<int64_t> adopt(WarmStartReport& report) {
    std::vector<double> u(static_cast<std::size_t>(n_), kInf);  // row minima of reduced cost
    for (int64_t i = 0; i < n_; ++i)
      for (int64_t j = 0; j < n_; ++j) u[i] = std::min(u[i], reduced(i, j));
    // slack[j]: how far v[j] can rise before a row other than its owner prefers column j.
    std::vector<double> slack(static_cast<std::size_t>(n_), kInf);
    for (int64_t i = 0; i < n_; ++i) {
      const int64_t own = s_.x[i];
      const double kept = own >= 0 ? slack[own] : 0.0;
      for (int64_t j = 0; j < n_; ++j) slack[j] = std::min(slack[j], reduced(i, j) - u[i]);
      if (own >= 0) slack[own] = kept;
    }
    std::vector<char> tightened(static_cast<std::size_t>(n_), 0);
    for (int64_t i = 0; i < n_; ++i) {
      const int64_t j = s_.x[i];
      if (j < 0) continue;
      const double gap = reduced(i, j) - u[i];
      if (gap > 0.0 && gap <= slack[j]) {
        s_.v[j] = costAt<Negate>(row(i), j) - u[i];
        tightened[i] = 1;
      }
    }
    // The check that matters: (I) exactly as the augmentation will evaluate it.
    std::vector<int64_t> free_rows;
    for (int64_t i = 0; i < n_; ++i) {
      const int64_t j = s_.x[i];
      bool ok = j >= 0;
      if (ok) {
        const double mine = reduced(i, j);
        for (int64_t k = 0; k < n_ && ok; ++k) ok = mine <= reduced(i, k);
      }
      if (!ok) {
        if (j >= 0) s_.y[j] = -1, s_.x[i] = -1;
        free_rows.push_back(i);
      } else if (tightened[i]) {
        ++report.rows_tightened;
      }
    }
    report.rows_kept = n_ - static_cast<int64_t>(free_rows.size());
    report.rows_rerouted = static_cast<int64_t>(free_rows.size());
    return free_rows;
  }

 private:
  const float* c_;
  State& s_;
  int64_t n_;
  const CancelToken* cancel_;
};

void validate(const float* scores, int64_t n) {
  if (n <= 0) throw Error(ErrorCategory::InvalidArgument, "linear assignment: matrix size must be positive");
  if (!scores) throw Error(ErrorCategory::InvalidArgument, "linear assignment: no matrix given");
  const int64_t count = n * n;
  uint32_t bad = 0;  // an all-ones exponent is Inf or NaN; this integer OR-reduction vectorises
  for (int64_t k = 0; k < count; ++k) {
    uint32_t bits;
    std::memcpy(&bits, scores + k, sizeof bits);
    bad |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
  }
  if (!bad) return;
  for (int64_t k = 0; k < count; ++k)
    if (!std::isfinite(scores[k]))
      throw Error(ErrorCategory::InvalidArgument, "linear assignment: entry (" + std::to_string(k / n) + ", " +
                                                      std::to_string(k % n) + ") is " +
                                                      (std::isnan(scores[k]) ? "NaN" : "infinite"));
}

Assignment finish(const float* scores, int64_t n, State& state) {
  Assignment result;
  result.column_of_row = std::move(state.x);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t j = result.column_of_row[i];
    if (j < 0) throw Error(ErrorCategory::Internal, "linear assignment: row left unassigned");
    result.total += static_cast<double>(scores[i * n + j]);
  }
  return result;
}

template <bool Negate>
Assignment solveCold(const float* scores, int64_t n, const CancelToken* cancel) {
  State state(n);
  Solver<Negate> solver(scores, state, cancel);
  std::vector<int64_t> free_rows = solver.initialise();
  free_rows = solver.reduceRows(std::move(free_rows), 2);
  solver.augment(free_rows);
  return finish(scores, n, state);
}

template <bool Negate>
Assignment solveWarm(const float* scores, int64_t n, WarmStart& start, const CancelToken* cancel,
                     WarmStartReport& report) {
  State state(n);
  for (int64_t j = 0; j < n; ++j) state.v[j] = -start.column_prices[j];  // reduced = cost + price
  for (int64_t i = 0; i < n; ++i) {
    const int64_t j = start.column_of_row[i];
    if (j < 0) continue;
    state.x[i] = j;
    state.y[j] = i;
  }
  Solver<Negate> solver(scores, state, cancel);
  const std::vector<int64_t> free_rows = solver.adopt(report);
  solver.augment(free_rows);
  return finish(scores, n, state);
}

}  // namespace

Assignment solveAssignment(const float* scores, int64_t n, Objective objective, const CancelToken* cancel) {
  validate(scores, n);
  if (cancel) cancel->throwIfCancelled();
  return objective == Objective::Maximise ? solveCold<true>(scores, n, cancel) : solveCold<false>(scores, n, cancel);
}

Assignment solveMaxAssignment(const float* scores, int64_t n, const CancelToken* cancel) {
  return solveAssignment(scores, n, Objective::Maximise, cancel);
}

Assignment solveMinAssignment(const float* costs, int64_t n, const CancelToken* cancel) {
  return solveAssignment(costs, n, Objective::Minimise, cancel);
}

Assignment solveAssignmentWarm(const float* scores, int64_t n, Objective objective, WarmStart start,
                               const CancelToken* cancel, WarmStartReport* report) {
  validate(scores, n);
  if (cancel) cancel->throwIfCancelled();
  const auto size = static_cast<std::size_t>(n);
  if (start.column_prices.size() != size || start.column_of_row.size() != size)
    throw Error(ErrorCategory::InvalidArgument, "linear assignment: warm start must have n prices and n rows");
  std::vector<char> taken(size, 0);
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(start.column_prices[i]))
      throw Error(ErrorCategory::InvalidArgument, "linear assignment: warm-start price " + std::to_string(i) +
                                                      " is not finite");
    const int64_t j = start.column_of_row[i];
    if (j < -1 || j >= n || (j >= 0 && taken[j]++))
      throw Error(ErrorCategory::InvalidArgument, "linear assignment: warm start gives row " + std::to_string(i) +
                                                      " an invalid or repeated column " + std::to_string(j));
  }
  WarmStartReport local;
  WarmStartReport& out = report ? *report : local;
  out = {};
  return objective == Objective::Maximise ? solveWarm<true>(scores, n, start, cancel, out)
                                          : solveWarm<false>(scores, n, start, cancel, out);
}

}  // namespace moescope::analysis
