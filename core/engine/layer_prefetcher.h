#pragma once
// Private: reads a run's layers from disk into the page cache one layer ahead of the
// computation, on a thread of its own, so that a run costs about max(read, compute) per layer
// rather than their sum. The first layer is read as soon as the run starts, in file order,
// while its first tensors are already being computed with. It can also look for NaN and
// infinite weights in each layer just read (checkpoint/nonfinite_weights.h), while the bytes are
// fresh and off the computation's thread.
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/nonfinite_weights.h"

namespace moescope::engine {

class LayerPrefetcher {
 public:
  // One step of reading: a layer of a model, or the same layer of two compared models.
  using Step = std::function<void(const std::atomic<bool>& stop)>;

  // Starts step 0 at once; step i + 1 once computing(i) was called. MOESCOPE_NO_READAHEAD=1 in
  // the environment turns reading ahead off (the benchmarks compare the two).
  explicit LayerPrefetcher(std::vector<Step> steps);
  // Steps: layers 0 .. layers - 1 of `model`, each whole, in file order; with scan_non_finite,
  // each layer's non-finite weights are looked for once it is read (nonFinite()).
  LayerPrefetcher(const checkpoint::Model& model, int layers, bool scan_non_finite = false);
  // Stops reading (within one tensor's read) and joins the thread.
  ~LayerPrefetcher();
  LayerPrefetcher(const LayerPrefetcher&) = delete;
  LayerPrefetcher& operator=(const LayerPrefetcher&) = delete;

  // The computation has reached step `step`: reading may go on up to step + 1.
  void computing(int step);

  // findNonFiniteInLayer(model, layer): from the reading thread, waiting for it to get there
  // (computing(layer) must have been called), or here when reading ahead is off or the
  // prefetcher was made without scan_non_finite. Rethrows what the scan threw.
  std::vector<checkpoint::NonFiniteTensor> nonFinite(int layer);

 private:
  // The one place the reading thread starts: steps, and for whole layers their model and how
  // many layers to scan (0: none).
  LayerPrefetcher(std::vector<Step> steps, const checkpoint::Model* model, std::size_t scanned_layers);
  void run();
  void scanLayer(int layer);

  const std::vector<Step> steps_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int allowed_ = 0;  // the reader may take steps 0..allowed_
  std::atomic<bool> stop_{false};
  const checkpoint::Model* model_ = nullptr;  // set when the steps are whole layers
  struct Scan {
    bool done = false;
    std::vector<checkpoint::NonFiniteTensor> found;
    std::exception_ptr error;
  };
  std::vector<Scan> scans_;  // per layer when scanning (else empty), under mutex_
  std::thread thread_;
};

}  // namespace moescope::engine
