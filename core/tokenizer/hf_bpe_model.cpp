#include "core/tokenizer/hf_bpe_model.h"

#include <cstdio>
#include <queue>

#include "core/error.h"

namespace moescope::tokenizer::hf {
namespace {

// Words shorter than this are cached (tokenizers: 256), up to this many of them.
constexpr size_t kCachedWordBytes = 256;
constexpr size_t kCacheEntries = 200'000;

uint64_t pairKey(uint32_t left, uint32_t right) { return (uint64_t{left} << 32) | right; }

std::string inQuotes(std::string_view token) {
  std::string out;
  out.reserve(token.size() + 2);
  out += '"';
  out += token;
  out += '"';
  return out;
}

struct Symbol {
  uint32_t id;
  int32_t prev;
  int32_t next;
  uint32_t length;  // bytes of the word it covers; 0 once merged into its left neighbour
};

struct Candidate {
  uint32_t rank;
  uint32_t position;
  uint32_t id;
  // std::priority_queue pops the largest: make that the lowest rank, then the leftmost.
  bool operator<(const Candidate& other) const {
    if (rank != other.rank) return rank > other.rank;
    return position > other.position;
  }
};

}  // namespace

BpeModel::BpeModel(const Json& model, const std::string& context) : context_(context) {
  const Json& vocab = requireField(model, "vocab", context);
  if (!vocab.is_object()) fail(context, "field \"vocab\" must be an object of token -> id, found " + describeValue(vocab));
  if (vocab.size() > kMaxVocabularyEntries)
    fail(context, "vocabulary of " + std::to_string(vocab.size()) + " entries is beyond the " +
                      std::to_string(kMaxVocabularyEntries) + " MoEScope accepts");
  vocab_.reserve(vocab.size());
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_unsigned() || id.get<uint64_t>() > kMaxTokenId)
      fail(context, "vocab entry " + inQuotes(token) + " must have an id from 0 to " + std::to_string(kMaxTokenId) +
                        ", found " + describeValue(id));
    vocab_[token] = id.get<uint32_t>();
  }

  if (const Json* dropout = findField(model, "dropout")) {
    if (!dropout->is_number() || dropout->get<double>() < 0.0 || dropout->get<double>() > 1.0)
      fail(context, "field \"dropout\" must be a number from 0 to 1, found " + describeValue(*dropout));
    // Dropout makes encoding random; the model was trained with it but is run without.
    dropout_ignored_ = dropout->get<double>() > 0.0;
  }
  unk_token_ = optionalString(model, "unk_token", context);
  prefix_ = optionalString(model, "continuing_subword_prefix", context).value_or("");
  suffix_ = optionalString(model, "end_of_word_suffix", context).value_or("");
  fuse_unk_ = optionalBool(model, "fuse_unk", false, context);
  byte_fallback_ = optionalBool(model, "byte_fallback", false, context);
  ignore_merges_ = optionalBool(model, "ignore_merges", false, context);
  if (byte_fallback_) {
    byte_ids_.assign(256, -1);
    for (int b = 0; b < 256; ++b) {
      char name[8];
      std::snprintf(name, sizeof name, "<0x%02X>", b);
      if (const auto id = find(name)) byte_ids_[static_cast<size_t>(b)] = *id;
    }
  }
  readMerges(requireField(model, "merges", context), context);
}

void BpeModel::readMerges(const Json& merges, const std::string& context) {
  if (!merges.is_array()) fail(context, "field \"merges\" must be an array, found " + describeValue(merges));
  if (merges.size() > kMaxMerges)
    fail(context, std::to_string(merges.size()) + " merges are beyond the " + std::to_string(kMaxMerges) +
                      " MoEScope accepts");
  merges_.reserve(merges.size());
  const bool pairs = !merges.empty() && merges[0].is_array();
  uint32_t rank = 0;
  for (size_t i = 0; i < merges.size(); ++i) {
    const Json& merge = merges[i];
    std::string left, right;
    if (pairs) {
      if (!merge.is_array() || merge.size() != 2 || !merge[0].is_string() || !merge[1].is_string())
        fail(context, "merges[" + std::to_string(i) + "] must be a pair of strings like the first merge, found " +
                          describeValue(merge));
      left = merge[0].get<std::string>();
      right = merge[1].get<std::string>();
    } else {
      if (!merge.is_string())
        fail(context, "merges[" + std::to_string(i) + "] must be a string \"a b\" like the first merge, found " +
                          describeValue(merge));
      const auto& line = merge.get_ref<const std::string&>();
      if (line.rfind("#version", 0) == 0) continue;  // a merges.txt header, as tokenizers skips it
      const size_t space = line.find(' ');
      if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
        fail(context, "merges[" + std::to_string(i) + "] must be two tokens separated by one space, found " +
                          inQuotes(line));
      left = line.substr(0, space);
      right = line.substr(space + 1);
    }
    const auto left_id = find(left);
    const auto right_id = find(right);
    if (!left_id || !right_id)
      fail(context, "merges[" + std::to_string(i) + "] names token " + inQuotes(left_id ? right : left) +
                        ", which is not in the vocabulary");
    if (right.size() < prefix_.size())
      fail(context, "merges[" + std::to_string(i) + "]: " + inQuotes(right) +
                        " is shorter than continuing_subword_prefix");
    const std::string merged = left + right.substr(prefix_.size());
    const auto merged_id = find(merged);
    if (!merged_id)
      fail(context, "merges[" + std::to_string(i) + "] makes " + inQuotes(merged) + ", which is not in the vocabulary");
    // A repeated pair takes its last rank, as tokenizers' map of merges does.
    merges_[pairKey(*left_id, *right_id)] = {rank, *merged_id};
    ++rank;
  }
}

std::optional<uint32_t> BpeModel::find(std::string_view token) const {
  const auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

void BpeModel::encodeWord(std::string_view word, std::vector<uint32_t>& ids) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (const auto id = find(word)) {
      ids.push_back(*id);
      return;
    }
  }
  const bool cacheable = word.size() < kCachedWordBytes;
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    const auto it = cache_.find(word);
    if (it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const size_t first = ids.size();
  mergeWord(word, ids);
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() < kCacheEntries)
      cache_.emplace(std::string(word), std::vector<uint32_t>(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end()));
  }
}

void BpeModel::mergeWord(std::string_view word, std::vector<uint32_t>& ids) const {
  std::vector<Symbol> symbols;
  symbols.reserve(word.size());
  const auto add = [&](uint32_t id, size_t length) {
    const auto index = static_cast<int32_t>(symbols.size());
    if (!symbols.empty()) symbols.back().next = index;
    symbols.push_back({id, index - 1, -1, static_cast<uint32_t>(length)});
  };
  // A pending run of unknown characters: its id and bytes.
  bool unk = false;
  uint32_t unk_id = 0;
  size_t unk_length = 0;
  const auto unkId = [&]() -> uint32_t {
    const auto id = find(*unk_token_);
    if (!id)
      throw Error(ErrorCategory::Tokenizer,
                  context_ + ": unk_token " + inQuotes(*unk_token_) + " is not in the vocabulary, yet this text needs it");
    return *id;
  };

  std::string piece;
  for (size_t at = 0; at < word.size();) {
    size_t length = 1;
    while (at + length < word.size() && (static_cast<unsigned char>(word[at + length]) & 0xC0) == 0x80) ++length;
    const bool is_first = at == 0;
    const bool is_last = at + length == word.size();
    piece.clear();
    if (!is_first) piece += prefix_;
    piece.append(word.substr(at, length));
    if (is_last) piece += suffix_;
    at += length;

    if (const auto id = find(piece)) {
      if (unk) {
        add(unk_id, unk_length);
        unk = false;
      }
      add(*id, length);
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (char c : piece) all = all && byte_ids_[static_cast<unsigned char>(c)] >= 0;
      if (all) {
        for (char c : piece) add(static_cast<uint32_t>(byte_ids_[static_cast<unsigned char>(c)]), 1);
        continue;
      }
    }
    if (!unk_token_) continue;  // no unk token: tokenizers drops the character
    if (unk && fuse_unk_) {
      unk_length += length;
    } else {
      if (unk) add(unk_id, unk_length);
      unk = true;
      unk_id = unkId();
      unk_length = length;
    }
  }
  if (unk) add(unk_id, unk_length);

  std::priority_queue<Candidate> queue;
  const auto rule = [&](uint32_t left, uint32_t right) -> const MergeTarget* {
    const auto it = merges_.find(pairKey(left, right));
    return it == merges_.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; i + 1 < symbols.size(); ++i)
    if (const MergeTarget* m = rule(symbols[i].id, symbols[i + 1].id))
      queue.push({m->rank, static_cast<uint32_t>(i), m->id});

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& current = symbols[top.position];
    if (current.length == 0 || current.next == -1) continue;
    const auto next_position = static_cast<size_t>(current.next);
    const Symbol right = symbols[next_position];
    // Stale: the pair at this position has changed since it was queued.
    const MergeTarget* still = rule(current.id, right.id);
    if (!still || still->id != top.id) continue;

    current.id = top.id;
    current.length += right.length;
    current.next = right.next;
    symbols[next_position].length = 0;
    if (right.next >= 0) symbols[static_cast<size_t>(right.next)].prev = static_cast<int32_t>(top.position);

    if (current.prev >= 0)
      if (const MergeTarget* m = rule(symbols[static_cast<size_t>(current.prev)].id, current.id))
        queue.push({m->rank, static_cast<uint32_t>(current.prev), m->id});
    if (current.next >= 0)
      if (const MergeTarget* m = rule(current.id, symbols[static_cast<size_t>(current.next)].id))
        queue.push({m->rank, top.position, m->id});
  }
  for (const Symbol& symbol : symbols)
    if (symbol.length != 0) ids.push_back(symbol.id);
}

}  // namespace moescope::tokenizer::hf
