#pragma once
// A run's cost before it starts (`moescope-cli analyze --plan`, the estimate the explorer shows
// next to Analyze, and the "estimated vs took" line after a run): wall time, peak memory and
// bytes read from disk for the chosen analyses, layers and text on this device. Worked out from
// the model's shapes (every layer's tensor sizes come from the safetensors headers) and three
// rates measured here in a fraction of a second.
#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/pipeline/analysis_selection.h"
#include "core/torch_support/device.h"

namespace moescope::pipeline {

struct DeviceRates {
  std::string device;         // "cpu" or "cuda"
  double gemm_flops = 0;      // products of a layer's shapes in the compute dtype, per second
  double stream_bytes = 0;    // stored weights through one blocked analysis pass (S1), per second
  double disk_bytes = 0;      // the checkpoint read past the page cache, per second
};

struct PlanItem {
  std::string name;    // "read", "routing", "weights", ...
  double seconds = 0;  // summed over layers
};

struct RunPlan {
  DeviceRates rates;
  int layers = 0;
  int texts = 1;  // analysed (set by planAnalysis)
  int64_t tokens = 0;
  std::uint64_t read_bytes = 0;  // the selected layers' tensors (plus the token embeddings)
  std::uint64_t peak_bytes = 0;  // two layers mapped (one read ahead), buffers, activations, runtime
  double read_seconds = 0;       // reading alone
  double compute_seconds = 0;    // computing alone
  double seconds = 0;            // the run: each layer's reading overlaps the layer before
  std::vector<PlanItem> items;   // compute by kind of work, then "read"
};

// Measures the three rates for this model's shapes (about half a second on a CPU).
DeviceRates calibrateDevice(const checkpoint::Model& model, const std::string& device, torch_support::ComputeDType dtype);

// `layers`: MoE layers only; `tokens` over all texts.
RunPlan planRun(const checkpoint::Model& model, const AnalysisSet& analyses, const std::vector<int>& layers,
                int64_t tokens, const DeviceRates& rates);

// "about 2 min 10 s (reading 90 GiB at 1.9 GiB/s overlapped with computing), peak memory about
// 6.1 GiB" style summary, one line.
std::string describePlan(const RunPlan& plan);

}  // namespace moescope::pipeline
