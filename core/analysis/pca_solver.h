#pragma once
// How neuron-level PCA (ANALYSES.md S5) finds its leading components.
namespace moescope::analysis {

enum class PcaSolver {
  Automatic,  // Exact for short neurons (H <= kExactPcaFeatureLimit), Krylov above
  Exact,      // eigendecomposition of the whole H x H covariance: 2 N H^2 operations
  Krylov,     // block Krylov on the implicit z-scored matrix: a few passes of 4 N H b operations
};

// Up to this neuron length the exact H x H covariance is cheap (it is also the reference).
inline constexpr long kExactPcaFeatureLimit = 512;

// Krylov passes at most (after the one that takes the moments).
inline constexpr int kMaxKrylovPasses = 12;
// Leading components whose variances differ by less than this share are not told apart. On
// random weights (no leading components) it cuts a Mixtral projection's solve from 12 passes to
// 6, with the leading variance within 2 % of its limit.
inline constexpr double kComponentResolution = 0.01;
// Vectors per Krylov block. A wider block gains more of the spectrum per pass: 16 converges in a
// few passes where 6 needed many; 32 costs 1.5 times as much a pass and, on random weights, stops
// after as many passes. 16 is also one 512-bit register of float32 values: the width of the
// pass's AVX-512 kernel (thin_covariance.h).
inline constexpr long kKrylovBlock = 16;

}  // namespace moescope::analysis
