#pragma once
// A byte trie over pieces, for the one question both sentencepiece models ask at every position:
// which pieces are prefixes of the rest of the text. Children sit in one sorted array per node,
// so a step is a binary search and the whole trie is two flat vectors.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace moescope::tokenizer {

class PieceTrie {
 public:
  struct Match {
    size_t length;  // bytes
    int32_t id;
  };

  PieceTrie() = default;
  // Keys must be distinct; ids are what lookups return.
  explicit PieceTrie(std::vector<std::pair<std::string_view, int32_t>> keys);

  bool empty() const { return key_count_ == 0; }

  // Calls visit(Match) for every key that is a prefix of `text`, shortest first.
  template <typename Visit>
  void forEachPrefix(std::string_view text, Visit&& visit) const {
    if (nodes_.empty()) return;
    uint32_t node = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const std::optional<uint32_t> child = step(node, static_cast<uint8_t>(text[i]));
      if (!child) return;
      node = *child;
      if (nodes_[node].id >= 0) visit(Match{i + 1, nodes_[node].id});
    }
  }

  std::optional<Match> longestPrefix(std::string_view text) const;
  std::optional<int32_t> find(std::string_view key) const;

 private:
  struct Node {
    uint32_t first_child = 0;  // index into labels_/children_
    uint16_t child_count = 0;  // up to 256
    int32_t id = -1;           // the key ending here, or -1
  };

  std::optional<uint32_t> step(uint32_t node, uint8_t byte) const;

  std::vector<Node> nodes_;
  std::vector<uint8_t> labels_;     // sorted within each node's range
  std::vector<uint32_t> children_;  // node index for the label at the same position
  size_t key_count_ = 0;
};

}  // namespace moescope::tokenizer
