#include "core/tokenizer/sentencepiece_word_char.h"

#include <algorithm>

#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";

}  // namespace

void segmentWords(std::string_view normalized, const SentencePieceVocabulary& vocabulary, std::vector<Segment>& out) {
  size_t word_begin = 0;
  for (size_t at = 0; at < normalized.size();) {
    const size_t length = std::min(leadByteLength(normalized[at]), normalized.size() - at);
    if (at > word_begin && normalized.substr(at, length) == kSpaceSymbol) {
      const std::string_view word = normalized.substr(word_begin, at - word_begin);
      out.push_back(Segment{word, vocabulary.idOrUnknown(word)});
      word_begin = at;
    }
    at += length;
  }
  if (word_begin < normalized.size()) {
    const std::string_view word = normalized.substr(word_begin);
    out.push_back(Segment{word, vocabulary.idOrUnknown(word)});
  }
}

void segmentCharacters(std::string_view normalized, const SentencePieceVocabulary& vocabulary,
                       std::vector<Segment>& out) {
  for (size_t at = 0; at < normalized.size();) {
    const std::string_view rest = normalized.substr(at);
    const size_t length =
        vocabulary.userDefinedPrefix(rest).value_or(std::min(leadByteLength(rest.front()), rest.size()));
    const std::string_view character = rest.substr(0, length);
    out.push_back(Segment{character, vocabulary.idOrUnknown(character)});
    at += length;
  }
}

}  // namespace moescope::tokenizer
