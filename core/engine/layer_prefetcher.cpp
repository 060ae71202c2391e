#include "core/engine/layer_prefetcher.h"

#include "core/engine/layer_weights.h"
#include "core/environment_switch.h"

namespace moescope::engine {

namespace {

std::vector<LayerPrefetcher::Step> wholeLayers(const checkpoint::Model& model, int layers) {
  std::vector<LayerPrefetcher::Step> steps;
  for (int layer = 0; layer < layers; ++layer)
    steps.push_back([&model, layer](const std::atomic<bool>& stop) { prefetchLayerPages(model, layer, stop); });
  return steps;
}

}  // namespace

LayerPrefetcher::LayerPrefetcher(std::vector<Step> steps) : steps_(std::move(steps)) {
  if (switchedOff("MOESCOPE_NO_READAHEAD")) return;
  thread_ = std::thread([this] { run(); });
}

LayerPrefetcher::LayerPrefetcher(const checkpoint::Model& model, int layers)
    : LayerPrefetcher(wholeLayers(model, layers)) {}

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
  }
}

}  // namespace moescope::engine
