#pragma once
// Private: reads a run's layers from disk into the page cache one layer ahead of the
// computation, on a thread of its own, so that a run costs about max(read, compute) per layer
// rather than their sum. The first layer is read as soon as the run starts, in file order,
// while its first tensors are already being computed with.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/checkpoint/model_folder.h"

namespace moescope::engine {

class LayerPrefetcher {
 public:
  // One step of reading: a layer of a model, or the same layer of two compared models.
  using Step = std::function<void(const std::atomic<bool>& stop)>;

  // Starts step 0 at once; step i + 1 once computing(i) was called. MOESCOPE_NO_READAHEAD=1 in
  // the environment turns reading ahead off (the benchmarks compare the two).
  explicit LayerPrefetcher(std::vector<Step> steps);
  // Steps: layers 0 .. layers - 1 of `model`, each whole, in file order.
  LayerPrefetcher(const checkpoint::Model& model, int layers);
  // Stops reading (within one tensor's read) and joins the thread.
  ~LayerPrefetcher();
  LayerPrefetcher(const LayerPrefetcher&) = delete;
  LayerPrefetcher& operator=(const LayerPrefetcher&) = delete;

  // The computation has reached step `step`: reading may go on up to step + 1.
  void computing(int step);

 private:
  void run();

  const std::vector<Step> steps_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int allowed_ = 0;  // the reader may take steps 0..allowed_
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace moescope::engine
