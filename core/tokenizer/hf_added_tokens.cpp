#include "core/tokenizer/hf_added_tokens.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "core/tokenizer/hf_bpe_model.h"
#include "core/tokenizer/hf_normalizers.h"
#include "core/tokenizer/pcre2_regex.h"
#include "core/tokenizer/unicode_chars.h"

namespace moescope::tokenizer::hf {
namespace {

// Rust regex's \w, which tokenizers uses for single_word.
constexpr std::string_view kRustWordChar = R"(^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}])";

bool sameFlags(const AddedToken& a, const AddedToken& b) {
  return a.content == b.content && a.single_word == b.single_word && a.lstrip == b.lstrip && a.rstrip == b.rstrip &&
         a.normalized == b.normalized && a.special == b.special;
}

AddedToken parseToken(const Json& value, const std::string& context) {
  requireObject(value, context);
  AddedToken token;
  token.content = requireString(value, "content", context);
  token.special = optionalBool(value, "special", false, context);
  token.single_word = optionalBool(value, "single_word", false, context);
  token.lstrip = optionalBool(value, "lstrip", false, context);
  token.rstrip = optionalBool(value, "rstrip", false, context);
  token.normalized = optionalBool(value, "normalized", !token.special, context);
  return token;
}

}  // namespace

// The patterns of one pass, bucketed by first byte, longest first: the first that matches at
// a position is the leftmost-longest match tokenizers' Aho-Corasick automaton reports.
struct AddedVocabulary::Candidates {
  std::array<std::vector<const AddedToken*>, 256> by_first_byte;
  bool empty = true;
};

AddedVocabulary::AddedVocabulary(const Json& list, const BpeModel& model, const Normalizer* normalizer,
                                 const std::string& context)
    : raw_(std::make_unique<Candidates>()),
      normalized_(std::make_unique<Candidates>()),
      word_char_(std::make_unique<Pcre2Regex>(kRustWordChar, context)) {
  if (!list.is_array()) fail(context, "must be an array, found " + describeValue(list));
  if (list.size() > kMaxAddedTokens)
    fail(context, std::to_string(list.size()) + " added tokens are beyond the " + std::to_string(kMaxAddedTokens) +
                      " MoEScope accepts");
  std::unordered_map<std::string, uint32_t> ids;
  std::map<uint32_t, AddedToken> by_id;
  uint32_t next_id = static_cast<uint32_t>(model.vocabulary().size());
  for (size_t i = 0; i < list.size(); ++i) {
    AddedToken token = parseToken(list[i], context + "[" + std::to_string(i) + "]");
    if (token.content.empty()) continue;
    const auto known = ids.find(token.content);
    if (known != ids.end() && sameFlags(by_id[known->second], token)) continue;
    if (known != ids.end()) token.id = known->second;
    else if (const auto in_model = model.find(token.content)) token.id = *in_model;
    else token.id = next_id++;
    if (token.id > kMaxTokenId) fail(context, "added token ids run past " + std::to_string(kMaxTokenId));
    token.pattern = token.content;
    if (token.normalized && normalizer) normalizer->normalize(token.pattern);
    ids[token.content] = token.id;
    by_id[token.id] = std::move(token);
  }
  for (auto& [id, token] : by_id) tokens_.push_back(std::move(token));
  for (const AddedToken& token : tokens_) {
    if (token.pattern.empty()) continue;
    Candidates& pass = token.normalized ? *normalized_ : *raw_;
    pass.by_first_byte[static_cast<unsigned char>(token.pattern[0])].push_back(&token);
    pass.empty = false;
  }
  for (Candidates* pass : {raw_.get(), normalized_.get()})
    for (auto& bucket : pass->by_first_byte)
      std::stable_sort(bucket.begin(), bucket.end(),
                       [](const AddedToken* a, const AddedToken* b) { return a->pattern.size() > b->pattern.size(); });
}

AddedVocabulary::~AddedVocabulary() = default;

std::optional<uint32_t> AddedVocabulary::find(std::string_view content) const {
  for (const AddedToken& token : tokens_)
    if (token.content == content) return token.id;
  return std::nullopt;
}

bool AddedVocabulary::isWordChar(std::string_view text, size_t at, bool before) const {
  if (before) {
    if (at == 0) return false;
    size_t lead = at - 1;
    while (lead > 0 && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) --lead;
    return word_char_->search(text.substr(lead, at - lead));
  }
  if (at >= text.size()) return false;
  size_t length = 0;
  codePointAt(text, at, &length);
  return word_char_->search(text.substr(at, length));
}

void AddedVocabulary::findIn(const TextPiece& piece, const Candidates& candidates, std::vector<TextPiece>& out) const {
  const std::string& text = piece.text;
  const auto emit = [&](size_t start, size_t stop, std::optional<uint32_t> token) {
    if (stop <= start) return;
    out.push_back({text.substr(start, stop - start), piece.at_text_start && start == 0, token});
  };
  size_t done = 0;  // end of the last piece emitted
  size_t size = 0;
  for (size_t at = 0; at < text.size(); at += std::max<size_t>(size, 1)) {
    size = 0;
    const AddedToken* found = nullptr;
    for (const AddedToken* token : candidates.by_first_byte[static_cast<unsigned char>(text[at])]) {
      if (text.compare(at, token->pattern.size(), token->pattern) == 0) {
        found = token;
        break;
      }
    }
    if (!found) continue;
    size = found->pattern.size();
    size_t start = at;
    size_t stop = at + size;
    if (found->single_word && (isWordChar(text, start, true) || isWordChar(text, stop, false))) continue;
    size_t length = 0;
    if (found->lstrip) {
      size_t left = start;
      while (left > 0) {
        size_t lead = left - 1;
        while (lead > 0 && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) --lead;
        if (!isWhiteSpace(codePointAt(text, lead, &length))) break;
        left = lead;
      }
      start = std::max(left, done);
    }
    if (found->rstrip)
      while (stop < text.size() && isWhiteSpace(codePointAt(text, stop, &length))) stop += length;
    if (done < start) emit(done, start, std::nullopt);
    out.push_back({text.substr(start, stop - start), false, found->id});
    done = stop;
  }
  if (done < text.size()) emit(done, text.size(), std::nullopt);
}

void AddedVocabulary::extract(std::vector<TextPiece>& pieces, bool normalized_pass) const {
  const Candidates& candidates = normalized_pass ? *normalized_ : *raw_;
  if (candidates.empty) return;
  std::vector<TextPiece> out;
  out.reserve(pieces.size());
  for (TextPiece& piece : pieces) {
    if (piece.token) out.push_back(std::move(piece));
    else findIn(piece, candidates, out);
  }
  pieces = std::move(out);
}

}  // namespace moescope::tokenizer::hf
