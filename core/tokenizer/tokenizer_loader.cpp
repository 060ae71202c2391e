// Chooses the tokenizer implementation from the files a model folder holds.
#include <system_error>

#include "core/error.h"
#include "core/tokenizer/sentencepiece_tokenizer.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& model_dir) {
  std::error_code ec;
  const auto sentencepiece_model = model_dir / "tokenizer.model";
  const auto tokenizer_json = model_dir / "tokenizer.json";
  // Folders that ship both describe the same vocabulary, and only the sentencepiece reader
  // exists yet, so tokenizer.model wins.
  if (std::filesystem::exists(sentencepiece_model, ec))
    return std::make_unique<SentencePieceTokenizer>(model_dir);
  if (std::filesystem::exists(tokenizer_json, ec))
    throw Error(ErrorCategory::Tokenizer,
                "found " + tokenizer_json.string() +
                    ", but tokenizer.json tokenizers are not supported yet (only tokenizer.model); "
                    "use --ids to give token ids directly");
  throw Error(ErrorCategory::Tokenizer, "no tokenizer found in " + model_dir.string() +
                                            " (looked for tokenizer.json, tokenizer.model); use --ids");
}

}  // namespace moescope::tokenizer
