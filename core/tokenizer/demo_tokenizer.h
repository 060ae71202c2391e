#pragma once
// The built-in demo model's tokenizer: a small Llama-style sentencepiece BPE model trained on
// an embedded English corpus, so the demo needs no download and ordinary text gets sensible
// pieces. It is trained at build time (core/tokenizer/tools/train_demo_tokenizer.cpp), since
// the trainer's library cannot be loaded next to libtorch, and compiled in.
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace moescope::embedded {
// resources/demo/corpus.txt, compiled in by CMake (cmake/EmbedText.cmake).
std::string_view demoCorpus();
// The tokenizer.model trained on it at build time, compiled in likewise.
std::string_view demoTokenizerModel();
}  // namespace moescope::embedded

namespace moescope::tokenizer {

// The vocab_size the demo tokenizer is trained with; it may end up with fewer pieces.
inline constexpr int kDemoTokenizerVocabSize = 1000;

// Writes the demo tokenizer as dir/tokenizer.model and dir/tokenizer_config.json, each
// complete or not at all, and returns its number of pieces, which becomes the demo model's
// vocab_size. The bytes are the same on every call. Throws Error(InvalidArgument) for a
// vocab_size other than the one it was trained with (it is not retrained at run time),
// Error(Io) when the files cannot be written.
int64_t writeDemoTokenizer(const std::filesystem::path& dir, int vocab_size = kDemoTokenizerVocabSize);

}  // namespace moescope::tokenizer
