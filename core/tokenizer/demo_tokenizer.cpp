#include "core/tokenizer/demo_tokenizer.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <system_error>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace moescope::tokenizer {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kTrainingSeed = 20240601;
constexpr int kMaxVocabSize = 1 << 16;

// Feeds the embedded corpus to the trainer line by line, so no temporary input file is needed.
class CorpusLines final : public sentencepiece::SentenceIterator {
 public:
  explicit CorpusLines(std::string_view corpus) : rest_(corpus) { Next(); }
  bool done() const override { return done_; }
  void Next() override {
    while (!rest_.empty()) {
      const size_t end = rest_.find('\n');
      std::string_view line = rest_.substr(0, end);
      rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      current_.assign(line);
      return;
    }
    done_ = true;
  }
  const std::string& value() const override { return current_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  std::string_view rest_;
  std::string current_;
  bool done_ = false;
};

std::string trainModel(int vocab_size) {
  // The options of Llama's tokenizer (identity normalisation, digits split, byte fallback),
  // with everything that could vary between runs pinned down.
  const std::unordered_map<std::string, std::string> options = {
      {"model_type", "bpe"},
      {"vocab_size", std::to_string(vocab_size)},
      {"hard_vocab_limit", "false"},
      {"character_coverage", "1.0"},
      {"byte_fallback", "true"},
      {"split_digits", "true"},
      {"normalization_rule_name", "identity"},
      {"remove_extra_whitespaces", "false"},
      {"add_dummy_prefix", "true"},
      {"unk_id", "0"},
      {"bos_id", "1"},
      {"eos_id", "2"},
      {"pad_id", "-1"},
      {"num_threads", "1"},
      {"max_sentence_length", "65536"},
      // The trainer logs its whole configuration and progress to stderr. The level is
      // process-wide in sentencepiece, which is fine: MoEScope reports every sentencepiece
      // failure through its status, never through its log.
      {"minloglevel", "2"},
  };
  // The trainer's random state and log level are process globals.
  static std::mutex training_mutex;
  const std::lock_guard lock(training_mutex);
  sentencepiece::SetRandomGeneratorSeed(kTrainingSeed);
  CorpusLines corpus(embedded::demoCorpus());
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(options, &corpus, &model);
  if (!status.ok())
    throw Error(ErrorCategory::InvalidArgument, "cannot train the demo tokenizer with vocab_size " +
                                                    std::to_string(vocab_size) + ": " + status.ToString());
  return model;
}

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
  if (vocab_size <= 0 || vocab_size > kMaxVocabSize)
    throw Error(ErrorCategory::InvalidArgument, "demo tokenizer vocab_size must be between 1 and " +
                                                    std::to_string(kMaxVocabSize) + ", found " +
                                                    std::to_string(vocab_size));
  const std::string model = trainModel(vocab_size);

  // The trained size is what the caller needs; ask the model rather than trust the request,
  // since hard_vocab_limit=false lets the trainer stop short.
  sentencepiece::SentencePieceProcessor processor;
  const auto status = processor.LoadFromSerializedProto(model);
  if (!status.ok())
    throw Error(ErrorCategory::Internal, "the freshly trained demo tokenizer does not load: " + status.ToString());

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot create " + dir.string() + ": " + ec.message());
  // tokenizer.model last: it is what loadTokenizer() looks for, so once it is there the
  // config it depends on is too.
  writeAtomically(dir / "tokenizer_config.json", tokenizerConfig());
  writeAtomically(dir / "tokenizer.model", model);
  return processor.GetPieceSize();
}

}  // namespace moescope::tokenizer
