#include "core/tokenizer/streaming_decoder.h"

#include "core/tokenizer/piece_decoding.h"
#include "core/utf8_text.h"

namespace moescope::tokenizer {

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, std::span<const int64_t> prompt)
    : tokenizer_(tokenizer),
      ids_(prompt.begin(), prompt.end()),
      decoded_(tokenizer.decode(prompt)),
      prompt_bytes_(decoded_.size()) {}

std::string StreamingDecoder::add(int64_t id) {
  ids_.push_back(id);
  decoded_ = tokenizer_.decode(ids_);
  return giveOut(completeUtf8Prefix(decoded_));
}

std::string StreamingDecoder::finish() { return giveOut(decoded_.size()); }

std::string StreamingDecoder::giveOut(std::size_t end) {
  const std::size_t shown = prompt_bytes_ + given_bytes_;
  if (end <= shown) return {};
  std::string added = replaceInvalidUtf8(std::string_view(decoded_).substr(shown, end - shown));
  given_bytes_ = end - prompt_bytes_;
  given_ += added;
  return added;
}

}  // namespace moescope::tokenizer
