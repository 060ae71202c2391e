#include "core/tokenizer/sentencepiece_bpe.h"

#include <algorithm>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <utility>

#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

// A symbol is a run of the normalized text; merging grows the left one and empties the right.
struct Symbol {
  uint32_t begin = 0;
  uint32_t length = 0;  // 0 once merged into its left neighbour
  int32_t prev = -1;
  int32_t next = -1;
  bool frozen = false;  // user-defined symbols never merge
};

struct Candidate {
  float score;
  int32_t left;
  int32_t right;
  uint32_t length;  // of the merged text, to recognise candidates that merges have outdated
};

// The queue's top is the best score, and among equal scores the leftmost pair.
struct RanksBelow {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  }
};

class BpeMerger {
 public:
  BpeMerger(std::string_view normalized, const SentencePieceVocabulary& vocabulary)
      : text_(normalized), vocabulary_(vocabulary) {}

  void run(std::vector<Segment>& out) {
    splitIntoCharacters();
    if (symbols_.empty()) return;
    for (size_t i = 1; i < symbols_.size(); ++i) consider(static_cast<int32_t>(i - 1), static_cast<int32_t>(i));
    while (!queue_.empty()) {
      const Candidate best = queue_.top();
      queue_.pop();
      if (isOutdated(best)) continue;
      merge(best.left, best.right);
    }
    for (int32_t i = 0; i != -1; i = symbols_[static_cast<size_t>(i)].next) resegment(textOf(i), out);
  }

 private:
  std::string_view textOf(int32_t i) const {
    const Symbol& s = symbols_[static_cast<size_t>(i)];
    return text_.substr(s.begin, s.length);
  }

  void splitIntoCharacters() {
    symbols_.reserve(text_.size());
    for (size_t at = 0; at < text_.size();) {
      Symbol symbol;
      symbol.begin = static_cast<uint32_t>(at);
      const std::string_view rest = text_.substr(at);
      if (const auto user_defined = vocabulary_.userDefinedPrefix(rest)) {
        symbol.length = static_cast<uint32_t>(*user_defined);
        symbol.frozen = true;
      } else {
        symbol.length = static_cast<uint32_t>(std::min(leadByteLength(rest.front()), rest.size()));
      }
      const auto index = static_cast<int32_t>(symbols_.size());
      symbol.prev = index - 1;
      at += symbol.length;
      symbol.next = at < text_.size() ? index + 1 : -1;
      symbols_.push_back(symbol);
    }
  }

  // Queues the pair (left, right) when their concatenation is a piece.
  void consider(int32_t left, int32_t right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols_[static_cast<size_t>(left)];
    const Symbol& r = symbols_[static_cast<size_t>(right)];
    if (l.frozen || r.frozen) return;
    const std::string_view merged = text_.substr(l.begin, l.length + r.length);
    const auto id = vocabulary_.findSegmentable(merged);
    if (!id) return;
    queue_.push(Candidate{vocabulary_.score(*id), left, right, l.length + r.length});
    // sentencepiece records the split of an UNUSED piece when the pair is queued, not when it
    // is merged, and a later pair with the same text overwrites it; doing the same keeps its
    // output even where the two differ.
    if (vocabulary_.type(*id) == PieceType::Unused) unused_splits_[merged] = {textOf(left), textOf(right)};
  }

  // A candidate is current while both sides exist and neither has grown since it was queued;
  // they are then still adjacent, as nothing between them could vanish without one growing.
  bool isOutdated(const Candidate& c) const {
    const Symbol& l = symbols_[static_cast<size_t>(c.left)];
    const Symbol& r = symbols_[static_cast<size_t>(c.right)];
    return l.length == 0 || r.length == 0 || l.length + r.length != c.length;
  }

  void merge(int32_t left, int32_t right) {
    Symbol& l = symbols_[static_cast<size_t>(left)];
    Symbol& r = symbols_[static_cast<size_t>(right)];
    l.length += r.length;
    l.next = r.next;
    if (r.next >= 0) symbols_[static_cast<size_t>(r.next)].prev = left;
    r.length = 0;
    consider(l.prev, left);
    consider(left, l.next);
  }

  // An UNUSED piece is not to be emitted: replace it by the two symbols it was merged from,
  // recursively. An explicit stack, since hostile pieces can be long.
  void resegment(std::string_view symbol, std::vector<Segment>& out) const {
    std::vector<std::string_view> pending{symbol};
    while (!pending.empty()) {
      const std::string_view text = pending.back();
      pending.pop_back();
      const int32_t id = vocabulary_.idOrUnknown(text);
      const auto split = vocabulary_.type(id) == PieceType::Unused ? unused_splits_.find(text) : unused_splits_.end();
      if (split == unused_splits_.end()) {
        out.push_back(Segment{text, id});
        continue;
      }
      pending.push_back(split->second.second);
      pending.push_back(split->second.first);
    }
  }

  std::string_view text_;
  const SentencePieceVocabulary& vocabulary_;
  std::vector<Symbol> symbols_;
  std::priority_queue<Candidate, std::vector<Candidate>, RanksBelow> queue_;
  std::unordered_map<std::string_view, std::pair<std::string_view, std::string_view>> unused_splits_;
};

}  // namespace

void segmentBpe(std::string_view normalized, const SentencePieceVocabulary& vocabulary, std::vector<Segment>& out) {
  BpeMerger(normalized, vocabulary).run(out);
}

}  // namespace moescope::tokenizer
