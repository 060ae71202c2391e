#pragma once
// A Hugging Face tokenizer.json tokenizer with a BPE model (byte-level BPE of GPT-2, Llama 3,
// Qwen, DeepSeek, OLMoE; metaspace BPE with byte fallback of Llama and Mistral), giving the ids
// the tokenizers library gives: added tokens, normalizer, pre-tokenizer, BPE, post-processor.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/hf_post_processor.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

namespace hf {
class AddedVocabulary;
class BpeModel;
class Normalizer;
class PreTokenizer;
struct TokenizerConfig;
}  // namespace hf

class HfTokenizer final : public Tokenizer {
 public:
  // Loads model_dir/tokenizer.json and reads model_dir/tokenizer_config.json. Throws
  // Error(Tokenizer) naming the file and what it found when either is broken or uses a model,
  // normalizer, pre-tokenizer or post-processor that is not supported.
  explicit HfTokenizer(const std::filesystem::path& model_dir);
  // A tokenizer.json given as text, with the tokenizer_config.json fields given as `config`
  // (a GGUF file's vocabulary turned into its tokenizer.json); `source` names it in messages.
  HfTokenizer(std::string_view tokenizer_json, const hf::TokenizerConfig& config, const std::filesystem::path& source);
  ~HfTokenizer() override;

  // Throws Error(Tokenizer) on text that is not valid UTF-8 and on a regex that gives up.
  std::vector<int64_t> encode(std::string_view text) const override;
  std::string displayPiece(int64_t id) const override;
  std::string decode(std::span<const int64_t> ids) const override;
  int64_t vocabSize() const override;
  std::string describe() const override;

 private:
  void load(const hf::Json& root, const hf::TokenizerConfig& config);
  void chooseSpecialTokens(const hf::SequenceFrame& from_file, bool has_post_processor,
                           const hf::TokenizerConfig& config);
  std::optional<uint32_t> tokenId(const std::string& token) const;
  void checkId(int64_t id) const;  // Error(InvalidArgument) outside the vocabulary

  std::filesystem::path file_;
  std::unique_ptr<hf::Normalizer> normalizer_;
  std::unique_ptr<hf::PreTokenizer> pre_tokenizer_;
  std::unique_ptr<hf::BpeModel> model_;
  std::unique_ptr<hf::AddedVocabulary> added_;
  hf::SequenceFrame frame_;
  std::string frame_source_;  // where frame_ came from, for describe()
  bool byte_level_ = false;
  std::vector<std::string> tokens_;  // id -> token text; empty where no token has the id
  std::vector<bool> has_token_;
  std::vector<bool> special_;  // added tokens marked "special": left out of decode()
  int leading_spaces_decoded_ = 0;  // spaces the decoder removes from the start of the text
};

}  // namespace moescope::tokenizer
