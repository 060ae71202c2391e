#pragma once
// A sentencepiece tokenizer (tokenizer.model) that adds BOS the way Hugging Face's
// LlamaTokenizer does, so that ids match what the model saw in training. The model is read and
// encoded by our own code (SentencePieceEncoder), not libsentencepiece, whose bundled protobuf
// crashes any process that also loads libtorch.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

class SentencePieceEncoder;

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Loads model_dir/tokenizer.model. BOS is added unless model_dir/tokenizer_config.json says
  // "add_bos_token": false; its id is config.json's "bos_token_id" when that lies within the
  // vocabulary, else the model's own bos_id(). Throws Error(Tokenizer) naming the file when the
  // model or tokenizer_config.json is broken, Error(Io) when the model cannot be read.
  explicit SentencePieceTokenizer(const std::filesystem::path& model_dir);
  // A model from elsewhere (a GGUF file's metadata, `source`), adding `bos_id` when given.
  SentencePieceTokenizer(std::unique_ptr<const SentencePieceEncoder> encoder, std::optional<int64_t> bos_id,
                         std::filesystem::path source);
  ~SentencePieceTokenizer() override;

  std::vector<int64_t> encode(std::string_view text) const override;
  std::string displayPiece(int64_t id) const override;
  std::string decode(std::span<const int64_t> ids) const override;
  int64_t vocabSize() const override;
  std::string describe() const override;

  // The id encode() puts first; nullopt when it adds none.
  std::optional<int64_t> bosId() const { return bos_id_; }

 private:
  void checkId(int64_t id) const;  // Error(InvalidArgument) outside the vocabulary

  std::unique_ptr<const SentencePieceEncoder> encoder_;
  std::filesystem::path model_file_;
  std::optional<int64_t> bos_id_;
};

}  // namespace moescope::tokenizer
