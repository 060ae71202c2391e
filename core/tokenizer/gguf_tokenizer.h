#pragma once
// The tokenizer a GGUF file carries in its metadata (tokenizer.ggml.*), through the tokenizers
// MoEScope already has:
// - "llama" (sentencepiece): tokens, scores and token types become a sentencepiece BPE model
//   (byte fallback when there are byte tokens; add_space_prefix, remove_extra_whitespaces) for
//   SentencePieceEncoder, the ids Hugging Face's LlamaTokenizer gives;
// - "gpt2" (byte-level BPE): tokens, merges and the pre-tokenizer that tokenizer.ggml.pre names
//   become the tokenizer.json of the model family ("llama-bpe": Llama 3's regex split, "qwen2":
//   NFC and one digit a piece, "deepseek-llm", "deepseek-v3", "gpt-4o" / "llama4", "gpt-2" /
//   "olmo") for HfTokenizer. Control and user-defined tokens are added tokens; BOS and EOS as
//   tokenizer.ggml.add_bos_token / add_eos_token say.
#include <memory>

#include "core/checkpoint/gguf_file.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

// nullptr when the metadata holds no tokenizer (no tokenizer.ggml.model). Throws
// Error(Tokenizer) naming the file and the key for a model or pre-tokenizer MoEScope does not
// know and for damaged vocabularies (lists of other lengths, ids out of range).
std::unique_ptr<Tokenizer> loadGgufTokenizer(const checkpoint::GgufFile& file);

}  // namespace moescope::tokenizer
