// Chooses the tokenizer implementation from the files a model folder holds.
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_split.h"
#include "core/error.h"
#include "core/path_checks.h"
#include "core/tokenizer/described_tokenizer.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/hf_tokenizer.h"
#include "core/tokenizer/sentencepiece_tokenizer.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {
namespace {

// "<dir>/tokenizer.json: model type ..." -> "model type ...": describe() names the file already.
std::string withoutPath(const std::string& message, const std::filesystem::path& file) {
  const std::string prefix = file.string() + ": ";
  if (message.rfind(prefix, 0) == 0) return message.substr(prefix.size());
  const std::string name = file.string();
  if (message.rfind(name, 0) == 0) return "tokenizer.json" + message.substr(name.size());
  return message;
}

}  // namespace

std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& model_path) {
  // A GGUF model: the tokenizer in its metadata (the first part's), else the tokenizer files
  // beside it, as a converted model's folder keeps them.
  const bool gguf = checkpoint::isGgufFile(model_path);
  const std::filesystem::path model_dir = gguf ? model_path.parent_path() : model_path;
  if (gguf) {
    // Only the first part: it holds the metadata.
    if (auto from_metadata = loadGgufTokenizer(*checkpoint::GgufFile::open(checkpoint::ggufFirstPart(model_path))))
      return from_metadata;
    if (!pathExists(model_dir / "tokenizer.json") && !pathExists(model_dir / "tokenizer.model"))
      throw Error(ErrorCategory::Tokenizer, "no tokenizer in " + model_path.string() +
                                                " (its metadata has no tokenizer.ggml.model, and its folder no "
                                                "tokenizer.json or tokenizer.model); use --ids");
  }
  const auto sentencepiece_model = model_dir / "tokenizer.model";
  const auto tokenizer_json = model_dir / "tokenizer.json";
  const bool has_model = pathExists(sentencepiece_model);
  // tokenizer.json first, as transformers does: it carries the added tokens and the exact
  // pipeline the fast tokenizer runs. tokenizer.model stays the fallback for what we cannot read.
  if (pathExists(tokenizer_json)) {
    try {
      return std::make_unique<HfTokenizer>(model_dir);
    } catch (const Error& error) {
      const bool tokenizer_problem = error.category() == ErrorCategory::Tokenizer || error.category() == ErrorCategory::Io;
      if (!tokenizer_problem) throw;
      if (!has_model)
        throw Error(error.category(), std::string(error.what()) + "; use --ids to give token ids directly");
      // tokenizer.model standing in: the same ids, with the reason in describe() so that nobody
      // mistakes which file was read.
      auto fallback = std::make_unique<SentencePieceTokenizer>(model_dir);
      std::string description = fallback->describe() + "; tokenizer.json not used: " + withoutPath(error.what(), tokenizer_json);
      return std::make_unique<DescribedTokenizer>(std::move(fallback), std::move(description));
    }
  }
  if (has_model) return std::make_unique<SentencePieceTokenizer>(model_dir);
  throw Error(ErrorCategory::Tokenizer, "no tokenizer found in " + model_dir.string() +
                                            " (looked for tokenizer.json, tokenizer.model); use --ids");
}

}  // namespace moescope::tokenizer
