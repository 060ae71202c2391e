#include "fuzz/targets/fuzz_target.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>

#include "core/error.h"

namespace moescope::fuzz {

namespace fs = std::filesystem;

namespace {

// Removes the scratch folder when the process ends normally (libFuzzer's -runs and
// -max_total_time end that way; a crash leaves it for the post-mortem).
class ScratchFolder {
 public:
  ScratchFolder() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::error_code error;
    const fs::path base = fs::is_directory("/dev/shm", error) && ::access("/dev/shm", W_OK) == 0
                              ? fs::path("/dev/shm")
                              : fs::path(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp");
    std::string pattern = (base / "moescope-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(ErrorCategory::Io, "cannot make a scratch folder in " + base.string());
    }
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"safetensors", "a .safetensors file: header, dtypes, shapes and tensor spans", runSafetensors},
      {"gguf", "a .gguf file: header, typed metadata, tensor infos and their spans", runGguf},
      {"model_config", "config.json -> ModelSpec, for every registered family", runModelConfig},
      {"tokenizer_json", "tokenizer.json, then encoding a text with it", runTokenizerJson},
      {"sentencepiece_model", "tokenizer.model, then encoding a text with it", runSentencepieceModel},
      {"results_reader", "a results file (HDF5), every group, dataset and attribute", runResultsReader},
  };
  return all;
}

const Target* findTarget(std::string_view name) {
  const auto& all = targets();
  const auto it = std::find_if(all.begin(), all.end(), [name](const Target& t) { return t.name == name; });
  return it == all.end() ? nullptr : &*it;
}

void invariantBroken(std::string_view target, std::string_view what) {
  std::fprintf(stderr, "fuzz target %.*s: accepted input breaks an invariant: %.*s\n", int(target.size()),
               target.data(), int(what.size()), what.data());
  std::abort();
}

const fs::path& scratchFolder() {
  static const ScratchFolder folder;
  return folder.path();
}

fs::path writeScratchFile(std::string_view name, std::span<const std::byte> bytes) {
  const fs::path path = scratchFolder() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(ErrorCategory::Io, "cannot write " + path.string());
  return path;
}

TextAndFile splitTextAndFile(std::span<const std::byte> input) {
  const auto nul = std::find(input.begin(), input.end(), std::byte{0});
  if (nul == input.end()) return {{}, input};
  const auto text_size = static_cast<std::size_t>(nul - input.begin());
  const std::string_view text(reinterpret_cast<const char*>(input.data()), std::min(text_size, kMaxText));
  return {text, input.subspan(text_size + 1)};
}

}  // namespace moescope::fuzz
