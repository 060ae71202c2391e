#include "core/tokenizer/streaming_decoder.h"

#include "core/tokenizer/piece_decoding.h"

namespace moescope::tokenizer {

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, std::span<const int64_t> prompt)
    : tokenizer_(tokenizer), ids_(prompt.begin(), prompt.end()), prompt_bytes_(tokenizer.decode(prompt).size()) {}

std::string StreamingDecoder::add(int64_t id) {
  ids_.push_back(id);
  const std::string whole = tokenizer_.decode(ids_);
  const std::size_t shown = prompt_bytes_ + given_bytes_;
  const std::size_t complete = completeUtf8Prefix(whole);
  if (complete <= shown) return {};
  std::string added = replaceInvalidUtf8(std::string_view(whole).substr(shown, complete - shown));
  given_bytes_ = complete - prompt_bytes_;
  given_ += added;
  return added;
}

std::string StreamingDecoder::finish() {
  const std::string whole = tokenizer_.decode(ids_);
  const std::size_t shown = prompt_bytes_ + given_bytes_;
  if (whole.size() <= shown) return {};
  std::string rest = replaceInvalidUtf8(std::string_view(whole).substr(shown));
  given_bytes_ = whole.size() - prompt_bytes_;
  given_ += rest;
  return rest;
}

}  // namespace moescope::tokenizer
