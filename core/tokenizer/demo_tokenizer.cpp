#include "core/tokenizer/demo_tokenizer.h"

#include <fstream>
#include <random>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/tokenizer/sentencepiece_encoder.h"

namespace moescope::tokenizer {
namespace {

namespace fs = std::filesystem;

// Writes under a unique temporary name in the same folder and renames, so a reader never sees
// a half-written file and two writers never share a temporary.
void writeAtomically(const fs::path& path, std::string_view bytes) {
  std::random_device random;
  std::string name(".");
  name += path.filename().string();
  name += ".tmp-";
  name += std::to_string(random());
  const fs::path temporary = path.parent_path() / name;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw Error(ErrorCategory::Io, "cannot write " + temporary.string());
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(ErrorCategory::Io, "cannot rename " + temporary.string() + " to " + path.string() + ": " +
                                       ec.message());
  }
}

std::string tokenizerConfig() {
  const nlohmann::ordered_json config = {
      {"add_bos_token", true},  {"add_eos_token", false}, {"bos_token", "<s>"},
      {"eos_token", "</s>"},    {"unk_token", "<unk>"},   {"tokenizer_class", "LlamaTokenizer"},
  };
  return config.dump(2) + "\n";
}

}  // namespace

int64_t writeDemoTokenizer(const fs::path& dir, int vocab_size) {
  if (vocab_size != kDemoTokenizerVocabSize)
    throw Error(ErrorCategory::InvalidArgument, "the demo tokenizer is trained at build time with vocab_size " +
                                                    std::to_string(kDemoTokenizerVocabSize) + "; " +
                                                    std::to_string(vocab_size) + " was asked for");
  const std::string_view model = embedded::demoTokenizerModel();
  // Parsed with the reader every other tokenizer.model goes through, so a build that embedded
  // something broken fails here and not at the first prompt. The trainer may stop short of
  // vocab_size (hard_vocab_limit is off), so the count comes from the model.
  int64_t pieces = 0;
  try {
    pieces = SentencePieceEncoder(model, "the embedded demo tokenizer").vocabulary().size();
  } catch (const Error& e) {
    throw Error(ErrorCategory::Internal, e.what());
  }

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot create " + dir.string() + ": " + ec.message());
  // tokenizer.model last: it is what loadTokenizer() looks for, so once it is there the
  // config it depends on is too.
  writeAtomically(dir / "tokenizer_config.json", tokenizerConfig());
  writeAtomically(dir / "tokenizer.model", model);
  return pieces;
}

}  // namespace moescope::tokenizer
