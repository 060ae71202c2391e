#include "core/engine/layer_prefetcher.h"

#include <cstdlib>
#include <string_view>

#include "core/engine/layer_weights.h"

namespace moescope::engine {

LayerPrefetcher::LayerPrefetcher(const checkpoint::Model& model, int layers) : model_(model), layers_(layers) {
  const char* off = std::getenv("MOESCOPE_NO_READAHEAD");
  if (off != nullptr && std::string_view(off) == "1") return;
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

void LayerPrefetcher::computing(int layer) {
  {
    std::lock_guard lock(mutex_);
    allowed_ = std::max(allowed_, layer + 1);
  }
  wake_.notify_all();
}

void LayerPrefetcher::run() {
  for (int layer = 0; layer < layers_; ++layer) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || allowed_ >= layer; });
      if (stop_) return;
    }
    prefetchLayerPages(model_, layer, stop_);
  }
}

}  // namespace moescope::engine
