// Build-time tool: trains the demo tokenizer on resources/demo/corpus.txt and writes its
// tokenizer.model, which CMake then compiles into moescope_core_base. It links
// libsentencepiece_train, which must never be loaded into a process with libtorch (their
// protobufs clash), so training cannot happen inside MoEScope itself.
//   moescope_train_demo_tokenizer CORPUS OUTPUT
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "core/tokenizer/demo_tokenizer.h"

namespace {

constexpr unsigned kTrainingSeed = 20240601;

// Feeds the corpus to the trainer line by line; empty lines carry nothing to learn.
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

bool readFile(const char* path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CORPUS OUTPUT\n", argv[0]);
    return 2;
  }
  std::string corpus;
  if (!readFile(argv[1], corpus)) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 1;
  }
  // The options of Llama's tokenizer (identity normalisation, digits split, byte fallback),
  // with everything that could vary between runs pinned down.
  const std::unordered_map<std::string, std::string> options = {
      {"model_type", "bpe"},
      {"vocab_size", std::to_string(moescope::tokenizer::kDemoTokenizerVocabSize)},
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
      {"minloglevel", "2"},
  };
  sentencepiece::SetRandomGeneratorSeed(kTrainingSeed);
  CorpusLines lines(corpus);
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(options, &lines, &model);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: training failed: %s\n", argv[0], status.ToString().c_str());
    return 1;
  }
  // Written beside the target and renamed, so an interrupted build leaves no partial model.
  const std::filesystem::path output(argv[2]);
  const std::filesystem::path temporary = output.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(model.data(), static_cast<std::streamsize>(model.size()));
    if (!out.flush()) {
      std::fprintf(stderr, "%s: cannot write %s\n", argv[0], temporary.c_str());
      return 1;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, output, ec);
  if (ec) {
    std::fprintf(stderr, "%s: cannot rename %s: %s\n", argv[0], temporary.c_str(), ec.message().c_str());
    return 1;
  }
  return 0;
}
