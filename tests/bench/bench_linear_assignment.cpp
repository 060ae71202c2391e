// Seconds per exact assignment solve on S3's kind of matrix: cosine similarities between two sets
// of n random unit vectors ("neurons") in `dim` dimensions. The CPU JV solver (one thread) and
// the torch auction with its exact finish, on the CPU unless --device cuda.
//
//   bench_linear_assignment [--max-n 4096] [--dims 64,4096] [--solvers jv,auction]
//                           [--device cpu|cuda] [--sizes 512,1024,2048,4096] [--seed 1]
//                           [--eps-ratio 1e-6] [--scaling 8] [--leave 0]   (AuctionOptions)
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/analysis/kendall_tau.h"
#include "core/analysis/linear_assignment.h"
#include "core/error.h"

using namespace moescope;
using namespace moescope::analysis;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Process CPU time: on a busy machine a steadier figure than wall time (the JV solver uses one
// thread; torch may use several, whose times add up).
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::vector<int64_t> parseList(const std::string& text) {
  std::vector<int64_t> out;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) out.push_back(std::stoll(item));
  return out;
}

std::vector<float> unitRows(int64_t n, int64_t dim, std::mt19937_64& rng) {
  std::normal_distribution<float> gauss;
  std::vector<float> rows(static_cast<std::size_t>(n * dim));
  for (int64_t i = 0; i < n; ++i) {
    double norm = 0.0;
    for (int64_t k = 0; k < dim; ++k) {
      const float x = gauss(rng);
      rows[i * dim + k] = x;
      norm += static_cast<double>(x) * x;
    }
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (int64_t k = 0; k < dim; ++k) rows[i * dim + k] *= scale;
  }
  return rows;
}

// N = A B^T with B transposed first, so the inner loop is a vectorisable row update.
std::vector<float> cosineMatrix(int64_t n, int64_t dim, std::mt19937_64& rng) {
  const std::vector<float> a = unitRows(n, dim, rng), b = unitRows(n, dim, rng);
  std::vector<float> bt(static_cast<std::size_t>(dim * n));
  for (int64_t j = 0; j < n; ++j)
    for (int64_t k = 0; k < dim; ++k) bt[k * n + j] = b[j * dim + k];
  std::vector<float> out(static_cast<std::size_t>(n * n), 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    float* row = out.data() + i * n;
    for (int64_t k = 0; k < dim; ++k) {
      const float weight = a[i * dim + k];
      const float* source = bt.data() + k * n;
      for (int64_t j = 0; j < n; ++j) row[j] += weight * source[j];
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t max_n = 4096, seed = 1;
  std::vector<int64_t> sizes{512, 1024, 2048, 4096}, dims{64, 4096};
  std::string solvers = "jv,auction", device = "cpu";
  AuctionOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--max-n") max_n = std::stoll(value);
    else if (flag == "--sizes") sizes = parseList(value);
    else if (flag == "--dims") dims = parseList(value);
    else if (flag == "--solvers") solvers = value;
    else if (flag == "--device") device = value;
    else if (flag == "--seed") seed = std::stoll(value);
    else if (flag == "--eps-ratio") options.final_epsilon_ratio = std::stod(value);
    else if (flag == "--scaling") options.scaling = std::stod(value);
    else if (flag == "--leave") options.leave_unassigned = std::stod(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  const bool run_jv = solvers.find("jv") != std::string::npos;
  const bool run_auction = solvers.find("auction") != std::string::npos;
  std::printf("%6s %6s  %-8s %9s %9s %22s  %s\n", "n", "dim", "solver", "wall s", "cpu s", "total", "notes");
  try {
    for (const int64_t n : sizes) {
      if (n > max_n) continue;
      for (const int64_t dim : dims) {
        std::mt19937_64 rng(static_cast<uint64_t>(seed * 1000003 + n * 31 + dim));
        auto start = Clock::now();
        const std::vector<float> scores = cosineMatrix(n, dim, rng);
        std::fprintf(stderr, "n=%lld dim=%lld: matrix built in %.1f s\n", static_cast<long long>(n),
                     static_cast<long long>(dim), seconds(start));
        Assignment jv;
        if (run_jv) {
          start = Clock::now();
          const double cpu = cpuSeconds();
          jv = solveMaxAssignment(scores.data(), n);
          const double took = seconds(start), cpu_took = cpuSeconds() - cpu;
          std::printf("%6lld %6lld  %-8s %9.3f %9.3f %22.15g  tau vs identity %+.4f\n", static_cast<long long>(n),
                      static_cast<long long>(dim), "jv", took, cpu_took, jv.total,
                      kendallTauAgainstIdentity(jv.column_of_row));
          std::fflush(stdout);
        }
        if (run_auction) {
          AuctionReport report;
          start = Clock::now();
          const double cpu = cpuSeconds();
          const Assignment auction = solveMaxAssignmentOnDevice(scores.data(), n, device, nullptr, options, &report);
          const double took = seconds(start), cpu_took = cpuSeconds() - cpu;
          std::printf("%6lld %6lld  %-8s %9.3f %9.3f %22.15g  %s; auction %.3f s (%d phases, %lld rounds), "
                      "exact finish %.3f s (%lld rows rerouted, %lld tightened)%s\n",
                      static_cast<long long>(n), static_cast<long long>(dim), "auction", took, cpu_took, auction.total,
                      device.c_str(), report.auction_seconds, report.phases, static_cast<long long>(report.rounds),
                      report.finish_seconds, static_cast<long long>(report.finish.rows_rerouted),
                      static_cast<long long>(report.finish.rows_tightened),
                      !run_jv                                          ? ""
                      : auction.column_of_row == jv.column_of_row ? ", same permutation as jv"
                                                                       : ", DIFFERENT permutation from jv");
          std::fflush(stdout);
        }
      }
    }
  } catch (const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}
