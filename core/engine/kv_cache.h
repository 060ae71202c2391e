#pragma once
// Private: the keys and values of the positions a sequence has run through, per decoder layer,
// so that each generated token attends over them without recomputing the sequence.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

namespace moescope::engine {

// One layer's cache in the compute dtype on the compute device, [heads, positions, width]:
// grouped-query attention keeps its key/value heads after rotary and norms, before they are
// repeated for the query heads; latent attention keeps what the heads' keys and values are
// made from, the normalised compressed vector [1, positions, kv_lora_rank] as "keys" and the
// shared rope key [1, positions, rope] as "values" (576 numbers a position for DeepSeek-V3,
// where its reference cache holds 128 heads x (192 + 128)).
class LayerKvCache {
 public:
  int64_t length() const { return length_; }
  // Appends the new positions' keys and values (same heads and width as before) and returns
  // views of all of them. Storage grows by doubling, so a long generation copies each
  // position a bounded number of times.
  std::pair<at::Tensor, at::Tensor> append(const at::Tensor& keys, const at::Tensor& values) {
    const int64_t added = keys.size(1), needed = length_ + added;
    if (!keys_.defined() || needed > keys_.size(1)) {
      const int64_t capacity = std::max<int64_t>(needed, keys_.defined() ? 2 * keys_.size(1) : needed);
      keys_ = grown(keys_, keys, capacity);
      values_ = grown(values_, values, capacity);
    }
    keys_.narrow(1, length_, added).copy_(keys);
    values_.narrow(1, length_, added).copy_(values);
    length_ = needed;
    return {keys_.narrow(1, 0, length_), values_.narrow(1, 0, length_)};
  }

 private:
  at::Tensor grown(const at::Tensor& old, const at::Tensor& like, int64_t capacity) const {
    at::Tensor bigger = at::empty({like.size(0), capacity, like.size(2)}, like.options());
    if (length_ > 0) bigger.narrow(1, 0, length_).copy_(old.narrow(1, 0, length_));
    return bigger;
  }

  at::Tensor keys_, values_;
  int64_t length_ = 0;
};

struct KvCache {
  std::vector<LayerKvCache> layers;  // by decoder layer
  int64_t length() const { return layers.empty() ? 0 : layers.front().length(); }
};

}  // namespace moescope::engine
