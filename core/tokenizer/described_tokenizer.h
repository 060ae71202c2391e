#pragma once
// A tokenizer that says where it came from in its own words: the ids of the tokenizer it wraps,
// another describe() (a tokenizer.model standing in for a tokenizer.json it could not use; a
// tokenizer built from a GGUF file's metadata rather than read from its own file).
#include <memory>
#include <string>
#include <utility>

#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

class DescribedTokenizer final : public Tokenizer {
 public:
  DescribedTokenizer(std::unique_ptr<Tokenizer> inner, std::string description)
      : inner_(std::move(inner)), description_(std::move(description)) {}
  std::vector<int64_t> encode(std::string_view text) const override { return inner_->encode(text); }
  std::string displayPiece(int64_t id) const override { return inner_->displayPiece(id); }
  std::string decode(std::span<const int64_t> ids) const override { return inner_->decode(ids); }
  int64_t vocabSize() const override { return inner_->vocabSize(); }
  std::string describe() const override { return description_; }

 private:
  std::unique_ptr<Tokenizer> inner_;
  std::string description_;
};

}  // namespace moescope::tokenizer
