#pragma once
// The text of a continuation as its tokens arrive: each new id gives the characters it
// completes, so that a character split over several byte tokens appears once whole, and the
// spaces come out as the tokenizer decodes the whole sequence (a word's leading space belongs
// to the word's token).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

class StreamingDecoder {
 public:
  StreamingDecoder(const Tokenizer& tokenizer, std::span<const int64_t> prompt);

  // The text `id` adds after what was given out so far (possibly empty), valid UTF-8: bytes
  // that cannot be a character are given as U+FFFD.
  std::string add(int64_t id);
  // Bytes held back at the end (a character the ids never completed), as U+FFFD.
  std::string finish();
  // Everything given out, finish() included once called.
  const std::string& continuation() const { return given_; }

 private:
  // Gives out decoded_ from what was given up to byte `end`, as valid UTF-8.
  std::string giveOut(std::size_t end);

  const Tokenizer& tokenizer_;
  std::vector<int64_t> ids_;
  std::string decoded_;  // tokenizer_.decode(ids_), raw bytes
  std::size_t prompt_bytes_ = 0;
  std::size_t given_bytes_ = 0;  // of the decoded continuation, before replacement
  std::string given_;
};

}  // namespace moescope::tokenizer
