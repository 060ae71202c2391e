#pragma once
// Public, plain face (no torch) of ANALYSES.md D6: load and co-activation (see expert_load.h,
// co_activation.h). Vocabulary specialisation is plain already: vocabulary_specialisation.h.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis/load_balance.h"
#include "core/dense_array.h"

namespace moescope::analysis::plain {

LoadBalance loadBalance(const std::vector<float>& shares);

class ExpertLoadAccumulator {
 public:
  explicit ExpertLoadAccumulator(int64_t experts);
  ~ExpertLoadAccumulator();
  ExpertLoadAccumulator(ExpertLoadAccumulator&&) noexcept;
  ExpertLoadAccumulator& operator=(ExpertLoadAccumulator&&) noexcept;

  void add(const IndexArray& topk_ids);  // [T, k]
  IndexArray slotCounts() const;         // [E]
  int64_t routingSlots() const;
  void addSlotCounts(const IndexArray& counts, int64_t slots);
  FloatArray shares() const;  // [E], sums to 1 once a slot was added
  LoadBalance balance() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class CoActivationAccumulator {
 public:
  explicit CoActivationAccumulator(int64_t experts);
  ~CoActivationAccumulator();
  CoActivationAccumulator(CoActivationAccumulator&&) noexcept;
  CoActivationAccumulator& operator=(CoActivationAccumulator&&) noexcept;

  void add(const IndexArray& topk_ids);  // [T, k]
  IndexArray pairCounts() const;         // [E, E]
  void addPairCounts(const IndexArray& counts);
  FloatArray conditional() const;        // [E, E] P(f chosen | e chosen)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moescope::analysis::plain
