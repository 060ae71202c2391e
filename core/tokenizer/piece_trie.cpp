#include "core/tokenizer/piece_trie.h"

#include <algorithm>
#include <deque>

namespace moescope::tokenizer {

// Built breadth-first from the sorted keys: the keys below a node form one contiguous range,
// and its children are the runs of equal bytes at the node's depth within that range. A queue
// rather than recursion, since a hostile model may hold a piece of megabytes.
PieceTrie::PieceTrie(std::vector<std::pair<std::string_view, int32_t>> keys) : key_count_(keys.size()) {
  std::sort(keys.begin(), keys.end());
  struct Pending {
    uint32_t node;
    size_t begin, end;  // range of keys below the node
    size_t depth;
  };
  nodes_.push_back(Node{});
  std::deque<Pending> queue;
  queue.push_back({0, 0, keys.size(), 0});
  while (!queue.empty()) {
    const Pending at = queue.front();
    queue.pop_front();
    size_t i = at.begin;
    // Sorted order puts the key that ends at this depth first.
    if (i < at.end && keys[i].first.size() == at.depth) nodes_[at.node].id = keys[i++].second;
    nodes_[at.node].first_child = static_cast<uint32_t>(labels_.size());
    while (i < at.end) {
      const char label = keys[i].first[at.depth];
      size_t run_end = i + 1;
      while (run_end < at.end && keys[run_end].first[at.depth] == label) ++run_end;
      const auto child = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back(Node{});
      labels_.push_back(static_cast<uint8_t>(label));
      children_.push_back(child);
      ++nodes_[at.node].child_count;
      queue.push_back({child, i, run_end, at.depth + 1});
      i = run_end;
    }
  }
}

std::optional<uint32_t> PieceTrie::step(uint32_t node, uint8_t byte) const {
  const Node& n = nodes_[node];
  const auto begin = labels_.begin() + n.first_child;
  const auto end = begin + n.child_count;
  const auto it = std::lower_bound(begin, end, byte);
  if (it == end || *it != byte) return std::nullopt;
  return children_[static_cast<size_t>(it - labels_.begin())];
}

std::optional<PieceTrie::Match> PieceTrie::longestPrefix(std::string_view text) const {
  std::optional<Match> longest;
  forEachPrefix(text, [&](const Match& match) { longest = match; });
  return longest;
}

std::optional<int32_t> PieceTrie::find(std::string_view key) const {
  if (nodes_.empty()) return std::nullopt;
  uint32_t node = 0;
  for (const char c : key) {
    const std::optional<uint32_t> child = step(node, static_cast<uint8_t>(c));
    if (!child) return std::nullopt;
    node = *child;
  }
  if (nodes_[node].id < 0) return std::nullopt;
  return nodes_[node].id;
}

}  // namespace moescope::tokenizer
