// ANALYSES.md S5, neuron level: E' * I points (115k for Mixtral) of H features (4096). The
// neurons are never stacked: every pass streams the experts' matrices in float32 blocks (see
// float_blocks.h). The exact solver accumulates the H x H covariance (2 N H^2 operations: 500 s
// for one Mixtral layer on two cores); above kExactPcaFeatureLimit block Krylov iteration on the
// implicit z-scored matrix finds the few leading components in a handful of passes of
// 4 N H b operations each (b = 16 vectors).
#include <algorithm>
#include <functional>
#include <limits>
#include <optional>

#include <ATen/CPUGeneratorImpl.h>

#include "core/analysis/feature_moments.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/input_checks.h"
#include "core/analysis/pca.h"
#include "core/analysis/principal_components.h"
#include "core/analysis/thin_covariance.h"
#include "core/cpu_variants.h"
#include "core/error.h"
#include "core/torch_support/block_workers.h"

namespace moescope::analysis {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Relative to the leading eigenvalue: well below what a 2-D scatter can show, and below the
// 1e-4 agreement with the exact solver the tests ask for on planted structure.
constexpr double kRitzTolerance = 1e-6;
constexpr uint64_t kKrylovSeed = 20240901;  // a fixed start: a re-run draws the same picture

struct NeuronSet {
  const std::vector<at::Tensor>& matrices;
  NeuronAxis axis;
  int workers;  // torch_support::blockWorkers of the matrices' device
  // visit(block [n, H] float32 scratch, first point, worker) for every neuron of every matrix,
  // `workers` blocks at a time: the visitor touches only state of its own worker.
  void forEach(const std::function<void(at::Tensor&, int64_t, int)>& visit, const at::Tensor& centre = {}) const {
    forEachNeuronBlock(matrices, axis, workers, visit, centre);
  }
};

struct Moments {
  at::Tensor mean;   // [H] float64
  at::Tensor m2;     // [H] float64: sum of squared deviations from the mean
  at::Tensor scale;  // [H] float64: 1 / unbiased std, 0 for a constant feature
};

// Running mean and spread of some of the points on a GPU (FeatureMoments on a CPU), merged as
// Chan, Golub and LeVeque do, so that a feature with a large mean and a small spread keeps its digits.
struct PartialMoments {
  double count = 0;
  at::Tensor mean, m2, lowest, highest;  // [H] float64

  PartialMoments(int64_t features, const at::TensorOptions& f64)
      : mean(at::zeros({features}, f64)), m2(at::zeros({features}, f64)),
        lowest(at::full({features}, kInfinity, f64)), highest(at::full({features}, -kInfinity, f64)) {}

  void merge(double n, const at::Tensor& other_mean, const at::Tensor& other_m2) {
    const at::Tensor delta = other_mean - mean;
    const double total = count + n;
    mean.add_(delta * (n / total));
    m2.add_(other_m2).add_(delta.square() * (count * n / total));
    count = total;
  }
};

Moments fromSpread(at::Tensor mean, at::Tensor m2, const at::Tensor& lowest, const at::Tensor& highest, int64_t points) {
  Moments out;
  out.mean = std::move(mean);
  out.m2 = std::move(m2);
  const at::Tensor std = (out.m2 / static_cast<double>(points - 1)).sqrt();
  const at::Tensor varies = (highest > lowest) & (std > 0);
  out.scale = at::where(varies, at::where(varies, std, at::ones_like(std)).reciprocal(), at::zeros_like(std));
  return out;
}

// Pass 1: block means and spreads merged per worker, then the workers' merged; min / max
// recognise exactly constant features. On a CPU in two sweeps of each block (feature_moments.h).
Moments moments(const NeuronSet& neurons, int64_t features, int64_t points, const at::TensorOptions& f64) {
  if (f64.device().is_cpu()) {
    std::vector<FeatureMoments> parts(static_cast<std::size_t>(neurons.workers), FeatureMoments(features));
    neurons.forEach([&](at::Tensor& block, int64_t, int worker) {
      parts[static_cast<std::size_t>(worker)].addBlock(block.data_ptr<float>(), block.size(0), block.stride(0), block.stride(1));
    });
    for (std::size_t w = 1; w < parts.size(); ++w) parts.front().merge(parts[w]);
    const FeatureMoments& all = parts.front();
    const auto doubles = [&](const std::vector<double>& v) { return at::tensor(at::ArrayRef<double>(v), f64); };
    const auto floats = [&](const std::vector<float>& v) { return at::tensor(at::ArrayRef<float>(v), f64.dtype(at::kFloat)); };
    return fromSpread(doubles(all.mean()), doubles(all.m2()), floats(all.lowest()), floats(all.highest()), points);
  }
  std::vector<PartialMoments> parts;  // each its own tensors (a copied at::Tensor would share them)
  for (int w = 0; w < neurons.workers; ++w) parts.emplace_back(features, f64);
  neurons.forEach([&](at::Tensor& block, int64_t, int worker) {
    PartialMoments& part = parts[static_cast<std::size_t>(worker)];
    const double n = static_cast<double>(block.size(0));
    part.lowest = at::minimum(part.lowest, block.amin(0).to(at::kDouble));
    part.highest = at::maximum(part.highest, block.amax(0).to(at::kDouble));
    const at::Tensor block_mean = block.sum(0).to(at::kDouble).div_(n);
    block.sub_(block_mean.to(at::kFloat));
    part.merge(n, block_mean, block.mul(block).sum(0).to(at::kDouble));  // not a norm over dim 0: slow in ATen
  });
  PartialMoments all = std::move(parts.front());
  for (std::size_t w = 1; w < parts.size(); ++w) {
    if (parts[w].count == 0) continue;
    all.merge(parts[w].count, parts[w].mean, parts[w].m2);
    all.lowest = at::minimum(all.lowest, parts[w].lowest);
    all.highest = at::maximum(all.highest, parts[w].highest);
  }
  return fromSpread(all.mean, all.m2, all.lowest, all.highest, points);
}

// total += partial, then partial = 0: one sweep where ATen takes two (the block's float32 sums
// are a quarter of a megabyte at Mixtral's H).
MOESCOPE_CPU_VARIANTS void moveIntoFloat64(float* partial, double* total, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    total[i] += partial[i];
    partial[i] = 0.0f;
  }
}

// One pass: A X with A = Z^T Z the covariance of the z-scores Z = (X - mean) diag(scale), never
// formed: A X = scale * sum over blocks C^T (C (scale * X)), C the centred block (centred as it
// is converted). The products run in float32 on the block (16 vectors on a CPU with AVX-512:
// thin_covariance.h; else two BLAS products), their sums in float64 (per worker, then over the
// workers). The images C (scale * X), every neuron's scores on X's vectors, are written to
// `scores` ([points, columns of X] float32) on the way.
at::Tensor applyCovariance(const NeuronSet& neurons, const Moments& m, const at::Tensor& x, at::Tensor& scores) {
  const at::Tensor scaled = (x * m.scale.unsqueeze(1)).to(at::kFloat).contiguous();
  struct Sums {
    at::Tensor sum, partial;
  };
  std::vector<Sums> sums;
  for (int w = 0; w < neurons.workers; ++w)
    sums.push_back({at::zeros(x.sizes(), x.options()), at::zeros(x.sizes(), x.options().dtype(at::kFloat))});
  const bool thin = scaled.is_cpu() && scaled.size(1) == kThinCovarianceWidth && thinCovarianceAvailable();
  neurons.forEach(
      [&](at::Tensor& block, int64_t point, int worker) {
        Sums& s = sums[static_cast<std::size_t>(worker)];
        at::Tensor rows = scores.narrow(0, point, block.size(0));
        if (thin) {
          addThinCovariance(block.data_ptr<float>(), block.size(0), block.size(1), block.stride(0), block.stride(1),
                            scaled.data_ptr<float>(), s.partial.data_ptr<float>(), rows.data_ptr<float>());
          moveIntoFloat64(s.partial.data_ptr<float>(), s.sum.data_ptr<double>(), s.partial.numel());
          return;
        }
        at::mm_out(rows, block, scaled);
        at::mm_out(s.partial, block.t(), rows);
        s.sum.add_(s.partial);
      },
      m.mean.to(at::kFloat));
  std::vector<at::Tensor> totals;
  for (Sums& w : sums) totals.push_back(std::move(w.sum));
  return sumInWorkerOrder(std::move(totals)).mul_(m.scale.unsqueeze(1));
}

// Scores of every neuron on the axes: (x - mean) (scale * axes), one block at a time.
at::Tensor projectNeurons(const NeuronSet& neurons, const Moments& m, const at::Tensor& axes, int64_t points) {
  const at::Tensor scaled = (axes * m.scale.unsqueeze(1)).to(at::kFloat);
  at::Tensor scores = at::empty({points, axes.size(1)}, scaled.options());
  neurons.forEach(
      [&](at::Tensor& block, int64_t point, int) {
        at::Tensor rows = scores.narrow(0, point, block.size(0));
        at::mm_out(rows, block, scaled);
      },
      m.mean.to(at::kFloat));
  return scores.to(at::kDouble);
}

// Orthonormal columns spanning `fresh` with `basis` projected out (twice: one Gram-Schmidt
// sweep loses orthogonality when fresh lies nearly inside the basis).
at::Tensor extendBasis(const at::Tensor& basis, at::Tensor fresh) {
  for (int sweep = 0; sweep < 2; ++sweep) fresh = fresh - at::mm(basis, at::mm(basis.t(), fresh));
  at::Tensor q = std::get<0>(at::linalg_qr(fresh));
  return q - at::mm(basis, at::mm(basis.t(), q));
}

struct Leading {
  at::Tensor values;  // [k] float64, largest first
  at::Tensor scores;  // [points, k] float64: every neuron's scores on the leading vectors
  int passes = 0;
  bool converged = false;
  bool separated = true;
};

// Whether the Krylov solve can stop, from the Ritz values (largest first), the leading k's
// residuals relative to the first value, and the previous pass's Ritz values (undefined after
// the first). Every leading component must be either resolved (its residual within tolerance)
// or not separated: its value within kComponentResolution of a neighbour's and grown by less
// than that over the last pass.
struct Settling {
  bool all_resolved = true, all_settled = true;
};

Settling settling(const at::Tensor& ritz, const at::Tensor& residual, const at::Tensor& previous, int64_t k) {
  const auto value = ritz.accessor<double, 1>();
  const auto relative_residual = residual.accessor<double, 1>();
  Settling s;
  for (int64_t i = 0; i < k; ++i) {
    const bool resolved = relative_residual[i] <= kRitzTolerance;
    const auto near = [&](int64_t higher, int64_t lower) { return value[lower] >= (1 - kComponentResolution) * value[higher]; };
    const bool crowded = (i + 1 < ritz.size(0) && near(i, i + 1)) || (i > 0 && near(i - 1, i));
    const bool still_growing = !previous.defined() || value[i] > (1 + kComponentResolution) * previous.accessor<double, 1>()[i];
    s.all_resolved = s.all_resolved && resolved;
    s.all_settled = s.all_settled && (resolved || (crowded && !still_growing));
  }
  return s;
}

// Block Krylov (Rayleigh-Ritz on span{X, A X, A^2 X, ...}): each pass applies A to the newest
// block only; the Ritz pairs of the whole subspace converge much faster than a power iteration.
// Leading components with near-equal variances are not unique, and their Ritz vectors would
// only turn within their span pass after pass (random weights: a dozen passes for nothing), so
// the solve stops once such components have stopped gaining variance.
// Every pass also keeps the neurons' scores on its new basis vectors, so the final scores are
// those combined as the Ritz vectors combine the basis: no pass of their own.
Leading krylovLeading(const NeuronSet& neurons, const Moments& m, int64_t features, int64_t points, int64_t k) {
  const at::TensorOptions f64 = m.mean.options();
  const int64_t block = std::min(features, std::max(k + 4, kKrylovBlock));
  at::Generator generator = at::detail::createCPUGenerator(kKrylovSeed);
  const at::Tensor start = at::randn({features, block}, generator, at::TensorOptions().dtype(at::kDouble)).to(f64.device());
  std::vector<at::Tensor> basis_scores;  // per pass: [points, its vectors] float32
  const auto apply = [&](const at::Tensor& vectors) {
    basis_scores.push_back(at::empty({points, vectors.size(1)}, f64.dtype(at::kFloat)));
    return applyCovariance(neurons, m, vectors, basis_scores.back());
  };
  at::Tensor basis = std::get<0>(at::linalg_qr(start));
  at::Tensor images = apply(basis);
  Leading out;
  out.passes = 1;
  at::Tensor previous;
  at::Tensor u;
  for (;;) {
    at::Tensor projected = at::mm(basis.t(), images);
    projected = (projected + projected.t()) / 2;
    const auto [values, vectors] = at::linalg_eigh(projected);  // ascending
    const at::Tensor ritz = values.flip({0}).cpu().contiguous();
    u = vectors.flip({1}).narrow(1, 0, k);
    out.values = values.flip({0}).narrow(0, 0, k);
    const at::Tensor ritz_vectors = at::mm(basis, u);
    const at::Tensor residual = at::linalg_vector_norm(at::mm(images, u) - ritz_vectors * out.values.unsqueeze(0), 2, {0});
    const double leading = std::max(ritz[0].item<double>(), std::numeric_limits<double>::min());
    const Settling state = settling(ritz, (residual / leading).cpu().contiguous(), previous, k);
    out.converged = state.all_resolved;
    out.separated = state.all_resolved || !state.all_settled;
    previous = ritz;
    const int64_t room = std::min(block, features - basis.size(1));
    if (state.all_settled || out.passes >= kMaxKrylovPasses || room <= 0) break;
    const at::Tensor fresh = extendBasis(basis, images.narrow(1, images.size(1) - block, block).narrow(1, 0, room));
    images = at::cat({images, apply(fresh)}, 1);
    basis = at::cat({basis, fresh}, 1);
    ++out.passes;
  }
  out.values = out.values.clamp_min(0);
  out.scores = at::zeros({points, k}, f64);
  int64_t column = 0;
  for (const at::Tensor& part : basis_scores) {
    out.scores.add_(at::mm(part, u.narrow(0, column, part.size(1)).to(at::kFloat)).to(at::kDouble));
    column += part.size(1);
  }
  return out;
}

PcaResult nanResult(int64_t points, int64_t k, const at::TensorOptions& f64, at::Tensor owner) {
  PcaResult result;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.scores = at::full({points, k}, nan, f64.dtype(at::kFloat));
  result.explained_variance_ratio = at::full({k}, nan, f64);
  result.owner = std::move(owner);
  return result;
}

}  // namespace

PcaResult neuronLevelPca(const std::vector<at::Tensor>& matrices, NeuronAxis axis, int64_t components,
                         PcaSolver solver) {
  const char* what = "neuron-level PCA (S5)";
  requireMatrices(matrices, /*same_shape=*/false, what);
  std::vector<at::Tensor> owners;
  int64_t points = 0, features = -1;
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    const int64_t count = axis == NeuronAxis::Rows ? matrices[m].size(0) : matrices[m].size(1);
    const int64_t length = axis == NeuronAxis::Rows ? matrices[m].size(1) : matrices[m].size(0);
    if (features >= 0 && length != features)
      throw Error(ErrorCategory::ShapeMismatch, std::string(what) + ": matrix " + std::to_string(m) +
                                                    " has neurons of length " + std::to_string(length) +
                                                    " but matrix 0 has " + std::to_string(features));
    features = length;
    owners.push_back(at::full({count}, static_cast<int64_t>(m), matrices[m].options().dtype(at::kLong)));
    points += count;
  }
  requirePcaSize(points, components, features, what);
  const at::TensorOptions f64 = matrices.front().options().dtype(at::kDouble);
  const NeuronSet neurons{matrices, axis, torch_support::blockWorkers(matrices.front().device())};
  std::optional<torch_support::SingleThreadedLibraries> single_threaded;  // for the whole solve (block_workers.h)
  if (neurons.workers > 1) single_threaded.emplace();
  at::Tensor owner = at::cat(owners);

  const Moments m = moments(neurons, features, points, f64);
  if (!at::isfinite(m.m2).all().item<bool>() || !at::isfinite(m.mean).all().item<bool>())
    return nanResult(points, components, f64, std::move(owner));  // NaN or infinite weights, reported by the pipeline

  const bool exact = solver == PcaSolver::Exact || (solver == PcaSolver::Automatic && features <= kExactPcaFeatureLimit);
  PcaResult result;
  at::Tensor scores;
  if (exact) {
    // Centred cross products: float32 blocks summed in float64; then Z^T Z = scale * cross * scale.
    std::vector<at::Tensor> crosses;
    for (int w = 0; w < neurons.workers; ++w) crosses.push_back(at::zeros({features, features}, f64));
    neurons.forEach(
        [&](at::Tensor& block, int64_t, int worker) { crosses[static_cast<std::size_t>(worker)].add_(at::mm(block.t(), block)); },
        m.mean.to(at::kFloat));
    const at::Tensor cross = sumInWorkerOrder(std::move(crosses));
    const LeadingEigenpairs eig = leadingEigenpairs(cross * m.scale.unsqueeze(1) * m.scale.unsqueeze(0), components);
    result.explained_variance_ratio = eig.ratios;
    scores = projectNeurons(neurons, m, eig.vectors, points);
  } else {
    const Leading leading = krylovLeading(neurons, m, features, points, components);
    result.passes = leading.passes;
    result.converged = leading.converged;
    result.separated = leading.separated;
    const at::Tensor total = (m.m2 * m.scale.square()).sum();  // trace of Z^T Z
    result.explained_variance_ratio = at::where(total > 0, leading.values / at::where(total > 0, total, at::ones_like(total)),
                                                at::zeros_like(leading.values));
    scores = leading.scores;
  }
  result.scores = flipComponentSigns(scores).to(at::kFloat);
  result.owner = std::move(owner);
  return result;
}

}  // namespace moescope::analysis
