#include "core/tokenizer/sentencepiece_normalizer.h"

#include <utility>

#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581, sentencepiece's visible space
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

}  // namespace

SentencePieceNormalizer::SentencePieceNormalizer(const NormalizerSpec& spec, bool treat_whitespace_as_suffix,
                                                 PieceTrie user_defined, const std::string& source)
    : add_dummy_prefix_(spec.add_dummy_prefix),
      remove_extra_whitespaces_(spec.remove_extra_whitespaces),
      escape_whitespaces_(spec.escape_whitespaces),
      treat_whitespace_as_suffix_(treat_whitespace_as_suffix),
      user_defined_(std::move(user_defined)) {
  // The name ("identity", "nmt_nfkc", ...) only says how the rules were made; an empty
  // charsmap is the identity whatever the name.
  if (!spec.precompiled_charsmap.empty()) charsmap_.emplace(spec.precompiled_charsmap, source);
}

SentencePieceNormalizer::Prefix SentencePieceNormalizer::normalizePrefix(std::string_view input) const {
  if (const auto symbol = user_defined_.longestPrefix(input)) return {input.substr(0, symbol->length), symbol->length};
  if (charsmap_)
    if (const auto rule = charsmap_->longestMatch(input)) return {rule->replacement, rule->consumed};
  const size_t length = utf8SequenceLength(input, 0);
  // A malformed byte becomes U+FFFD on its own, so the rest of the text is still read.
  if (length == 0) return {kReplacementCharacter, 1};
  return {input.substr(0, length), length};
}

std::string SentencePieceNormalizer::normalize(std::string_view input) const {
  std::string normalized;
  if (remove_extra_whitespaces_) {
    while (!input.empty()) {
      const Prefix prefix = normalizePrefix(input);
      if (prefix.text != " ") break;
      input.remove_prefix(prefix.consumed);
    }
  }
  if (input.empty()) return normalized;

  normalized.reserve(input.size() * 3);
  const std::string_view space = escape_whitespaces_ ? kSpaceSymbol : std::string_view(" ");
  if (add_dummy_prefix_ && !treat_whitespace_as_suffix_) normalized += space;

  // Whether the text so far ends in a space that swallows the spaces after it. Starting true
  // is what drops the leading spaces of the first rule's output.
  bool after_space = remove_extra_whitespaces_;
  while (!input.empty()) {
    const Prefix prefix = normalizePrefix(input);
    std::string_view text = prefix.text;
    while (after_space && !text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (!text.empty()) {
      for (const char c : text) {
        if (c == ' ' && escape_whitespaces_)
          normalized += kSpaceSymbol;
        else
          normalized += c;
      }
      after_space = text.back() == ' ';
    }
    input.remove_prefix(prefix.consumed);
    if (!remove_extra_whitespaces_) after_space = false;
  }

  if (remove_extra_whitespaces_) {
    size_t kept = normalized.size();
    while (std::string_view(normalized).substr(0, kept).ends_with(space)) kept -= space.size();
    normalized.erase(kept);
  }
  if (add_dummy_prefix_ && treat_whitespace_as_suffix_) normalized += space;
  return normalized;
}

}  // namespace moescope::tokenizer
