#pragma once
// Private, torch-level: ANALYSES.md D6, the load histogram of one layer.
#include <cstdint>

#include <ATen/ATen.h>

#include "core/analysis/load_balance.h"

namespace moescope::analysis {

// Entropy and coefficient of variation of load shares [E] that sum to 1 (all NaN if all 0).
LoadBalance loadBalance(const at::Tensor& shares);

// Counts, over texts, how many of the T * k routing slots go to each expert.
class ExpertLoadAccumulator {
 public:
  explicit ExpertLoadAccumulator(int64_t experts);  // Error(InvalidArgument) unless experts >= 1

  void add(const at::Tensor& topk_ids);  // [T, k] integer expert ids
  // Adds stored counts ([E] as slotCounts() gives them, summing to `slots`); Error(ShapeMismatch)
  // or Error(InvalidArgument) otherwise.
  void addSlotCounts(const at::Tensor& counts, int64_t slots);

  at::Tensor slotCounts() const { return counts_; }  // [E] int64, CPU
  int64_t routingSlots() const { return routing_slots_; }
  at::Tensor shares() const;  // [E] float32, CPU: slotCounts / slots (all 0 before any slot)
  LoadBalance balance() const { return loadBalance(shares()); }

 private:
  int64_t experts_;
  at::Tensor counts_;
  int64_t routing_slots_ = 0;
};

}  // namespace moescope::analysis
