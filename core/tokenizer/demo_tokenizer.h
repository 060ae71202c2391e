#pragma once
// The built-in demo model's tokenizer: a small Llama-style sentencepiece BPE model trained on
// an embedded English corpus, so the demo needs no download and ordinary text gets sensible
// pieces.
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace moescope::embedded {
// resources/demo/corpus.txt, compiled in by CMake (cmake/EmbedText.cmake).
std::string_view demoCorpus();
}  // namespace moescope::embedded

namespace moescope::tokenizer {

// Trains the demo tokenizer (deterministic: the same vocab_size gives the same bytes) and
// writes dir/tokenizer.model and dir/tokenizer_config.json, each complete or not at all.
// Returns the number of pieces, which becomes the demo model's vocab_size. Throws
// Error(InvalidArgument) for a vocab_size too small to hold the byte pieces, Error(Io) when
// the files cannot be written.
int64_t writeDemoTokenizer(const std::filesystem::path& dir, int vocab_size = 1000);

}  // namespace moescope::tokenizer
