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

}  // namespace moescope::analysis
