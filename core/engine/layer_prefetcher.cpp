#include "core/engine/layer_prefetcher.h"

#include "core/engine/layer_weights.h"
#include "core/environment_switch.h"
#include "core/error.h"

namespace moescope::engine {

namespace {

std::vector<LayerPrefetcher::Step> wholeLayers(const checkpoint::Model& model, int layers) {
  std::vector<LayerPrefetcher::Step> steps;
  for (int layer = 0; layer < layers; ++layer)
    steps.push_back([&model, layer](const std::atomic<bool>& stop) { prefetchLayerPages(model, layer, stop); });
  return steps;
}

}  // namespace

LayerPrefetcher::LayerPrefetcher(std::vector<Step> steps) : LayerPrefetcher(std::move(steps), nullptr, 0) {}

LayerPrefetcher::LayerPrefetcher(const checkpoint::Model& model, int layers, bool scan_non_finite)
    : LayerPrefetcher(wholeLayers(model, layers), &model, static_cast<std::size_t>(scan_non_finite ? layers : 0)) {}

LayerPrefetcher::LayerPrefetcher(std::vector<Step> steps, const checkpoint::Model* model, std::size_t scanned_layers)
    : steps_(std::move(steps)), model_(model), scans_(scanned_layers) {
  if (switchedOff("MOESCOPE_NO_READAHEAD")) return;
  thread_ = std::thread([this] { run(); });
}

LayerPrefetcher::~LayerPrefetcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LayerPrefetcher::computing(int step) {
  {
    std::lock_guard lock(mutex_);
    allowed_ = std::max(allowed_, step + 1);
  }
  wake_.notify_all();
}

void LayerPrefetcher::run() {
  for (std::size_t step = 0; step < steps_.size(); ++step) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || allowed_ >= static_cast<int>(step); });
      if (stop_) return;
    }
    steps_[step](stop_);
    if (!scans_.empty() && !stop_) scanLayer(static_cast<int>(step));
  }
}

void LayerPrefetcher::scanLayer(int layer) {
  Scan scan;
  try {
    scan.found = checkpoint::findNonFiniteInLayer(*model_, layer);
  } catch (...) {
    scan.error = std::current_exception();  // for nonFinite() to rethrow on the computation's thread
  }
  scan.done = true;
  {
    std::lock_guard lock(mutex_);
    scans_[static_cast<std::size_t>(layer)] = std::move(scan);
  }
  wake_.notify_all();
}

std::vector<checkpoint::NonFiniteTensor> LayerPrefetcher::nonFinite(int layer) {
  if (model_ == nullptr) throw Error(ErrorCategory::Internal, "LayerPrefetcher::nonFinite on steps that are not a model's layers");
  const bool from_reader = thread_.joinable() && layer >= 0 && static_cast<std::size_t>(layer) < scans_.size();
  if (!from_reader) return checkpoint::findNonFiniteInLayer(*model_, layer);
  Scan scan;
  {
    std::unique_lock lock(mutex_);
    Scan& slot = scans_[static_cast<std::size_t>(layer)];
    wake_.wait(lock, [&] { return stop_ || slot.done; });
    if (!slot.done) return checkpoint::findNonFiniteInLayer(*model_, layer);
    scan = std::move(slot);
  }
  if (scan.error) std::rethrow_exception(scan.error);
  return std::move(scan.found);
}

}  // namespace moescope::engine
