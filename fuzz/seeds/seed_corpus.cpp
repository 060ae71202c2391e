#include "fuzz/seeds/seed_corpus.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/gguf_writer.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/error.h"
#include "core/results/results_file.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/demo_tokenizer.h"

namespace moescope::fuzz {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SeedFolder {
 public:
  SeedFolder(const fs::path& root, std::string_view target) : dir_(root / target) { fs::create_directories(dir_); }

  void add(const std::string& name, std::string_view bytes) {
    std::ofstream out(dir_ / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error(ErrorCategory::Io, "cannot write seed " + (dir_ / name).string());
    ++written_;
  }
  // A seed a writer put in a file: read back and kept under `name`.
  void addFile(const std::string& name, const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    add(name, std::string(std::istreambuf_iterator<char>(in), {}));
  }
  const fs::path& dir() const { return dir_; }
  int written() const { return written_; }

 private:
  fs::path dir_;
  int written_ = 0;
};

std::vector<float> ramp(std::size_t count, float scale) {
  std::vector<float> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = scale * std::sin(0.37f * static_cast<float>(i + 1));
  return values;
}

std::vector<std::byte> rawBytes(std::size_t count) {
  std::vector<std::byte> bytes(count);
  for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<std::byte>(i * 37 + 11);
  return bytes;
}

int writeSafetensorsSeeds(const fs::path& root) {
  using namespace checkpoint;
  SeedFolder seeds(root, "safetensors");
  const fs::path file = seeds.dir() / ".writing.safetensors";
  // Every dtype, metadata, and an empty tensor.
  writeSafetensors(file,
                   {tensorFromFloats("model.embed_tokens.weight", {4, 3}, ramp(12, 1.0f), DType::BF16),
                    tensorFromFloats("model.norm.weight", {3}, ramp(3, 1.0f), DType::F16),
                    tensorFromFloats("lm_head.weight", {4, 3}, ramp(12, 0.5f)),
                    tensorFromBytes("ids", DType::I64, {2}, rawBytes(16)), tensorFromBytes("mask", DType::Bool, {3}, rawBytes(3)),
                    tensorFromBytes("bytes", DType::U8, {5}, rawBytes(5)), tensorFromBytes("i32", DType::I32, {1}, rawBytes(4)),
                    tensorFromBytes("f64", DType::F64, {1}, rawBytes(8)), tensorFromBytes("e4m3", DType::F8_E4M3, {2}, rawBytes(2)),
                    tensorFromBytes("e5m2", DType::F8_E5M2, {2}, rawBytes(2)), tensorFromFloats("empty", {0, 3}, {})},
                   {{"format", "pt"}});
  seeds.addFile("every_dtype.safetensors", file);
  // One Mixtral-style MoE layer.
  std::vector<TensorSource> layer;
  for (int e = 0; e < 2; ++e) {
    for (const char* w : {"w1", "w2", "w3"}) {
      layer.push_back(tensorFromFloats("model.layers.0.block_sparse_moe.experts." + std::to_string(e) + "." + w + ".weight",
                                       {4, 4}, ramp(16, 0.1f * static_cast<float>(e + 1)), DType::BF16));
    }
  }
  layer.push_back(tensorFromFloats("model.layers.0.block_sparse_moe.gate.weight", {2, 4}, ramp(8, 1.0f), DType::BF16));
  writeSafetensors(file, layer);
  seeds.addFile("moe_layer.safetensors", file);
  // Damaged weights: NaN and infinity, which the reader accepts and the scan reports.
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  writeSafetensors(file, {tensorFromFloats("w", {2, 2}, {1.0f, nan, -inf, 2.0f}),
                          tensorFromFloats("h", {3}, {inf, 0.0f, nan}, DType::F16)});
  seeds.addFile("nonfinite.safetensors", file);
  writeSafetensors(file, {});
  seeds.addFile("no_tensors.safetensors", file);
  fs::remove(file);
  return seeds.written();
}

// A config.json for a registry row: the common fields plus what the MoE families of Hugging
// Face spell differently, all consistent, so that the row's own parser gets to run.
json configFor(const checkpoint::ArchitectureInfo& row) {
  json config = {{"vocab_size", 64},
                 {"hidden_size", 32},
                 {"intermediate_size", 64},
                 {"num_hidden_layers", 2},
                 {"num_attention_heads", 4},
                 {"num_key_value_heads", 2},
                 {"max_position_embeddings", 128},
                 {"rms_norm_eps", 1e-6},
                 {"rope_theta", 10000.0},
                 {"hidden_act", "silu"},
                 {"tie_word_embeddings", false},
                 {"torch_dtype", "bfloat16"},
                 {"bos_token_id", 1},
                 {"eos_token_id", 2}};
  if (!row.model_types.empty()) config["model_type"] = std::string(row.model_types.front());
  if (!row.hf_architectures.empty()) config["architectures"] = {std::string(row.hf_architectures.front())};
  if (row.mixture_of_experts) {
    for (const auto key : row.expert_count_keys) config[std::string(key)] = 4;
    for (const auto key : row.top_k_keys) config[std::string(key)] = 2;
    config.update({{"moe_intermediate_size", 32},      {"n_shared_experts", 1},        {"first_k_dense_replace", 1},
                   {"moe_layer_freq", 1},              {"kv_lora_rank", 16},           {"q_lora_rank", 24},
                   {"qk_nope_head_dim", 8},            {"qk_rope_head_dim", 8},        {"v_head_dim", 8},
                   {"n_group", 2},                     {"topk_group", 1},              {"topk_method", "greedy"},
                   {"scoring_func", "softmax"},        {"norm_topk_prob", true},       {"routed_scaling_factor", 1.0},
                   {"shared_expert_intermediate_size", 32}, {"decoder_sparse_step", 1}, {"mlp_only_layers", json::array()},
                   {"router_jitter_noise", 0.0},       {"output_router_logits", false}});
    // The routing rule decides the few fields whose values differ between the families.
    if (row.routing == checkpoint::RoutingRule::SigmoidGroupTopK) {
      config.update({{"scoring_func", "sigmoid"}, {"topk_method", "noaux_tc"}});
    } else if (row.routing == checkpoint::RoutingRule::GroupLimitedSoftmaxTopK) {
      config["topk_method"] = "group_limited_greedy";
    }
  }
  return config;
}

int writeModelConfigSeeds(const fs::path& root, const fs::path& reference_configs) {
  SeedFolder seeds(root, "model_config");
  for (const checkpoint::ArchitectureInfo& row : checkpoint::architectureTable()) {
    const json config = configFor(row);
    seeds.add(std::string(row.name) + ".json", config.dump(2));
    // Rope scaling variants on the same row.
    json llama3 = config;
    llama3["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}, {"low_freq_factor", 1.0},
                              {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 64}};
    seeds.add(std::string(row.name) + "_rope_llama3.json", llama3.dump());
    json yarn = config;
    yarn["rope_scaling"] = {{"type", "yarn"}, {"factor", 4.0}, {"original_max_position_embeddings", 64},
                            {"beta_fast", 32}, {"beta_slow", 1}, {"mscale", 1.0}, {"mscale_all_dim", 1.0}};
    seeds.add(std::string(row.name) + "_rope_yarn.json", yarn.dump());
  }
  std::error_code error;
  if (!reference_configs.empty() && fs::is_directory(reference_configs, error)) {
    for (const auto& entry : fs::directory_iterator(reference_configs)) {
      if (entry.path().extension() == ".json") seeds.addFile("reference_" + entry.path().filename().string(), entry.path());
    }
  }
  return seeds.written();
}

json bpeModel(json vocab, json merges, bool byte_fallback) {
  return {{"type", "BPE"},          {"dropout", nullptr},  {"unk_token", byte_fallback ? json("<unk>") : json(nullptr)},
          {"continuing_subword_prefix", nullptr},          {"end_of_word_suffix", nullptr},
          {"fuse_unk", byte_fallback}, {"byte_fallback", byte_fallback}, {"ignore_merges", false},
          {"vocab", std::move(vocab)}, {"merges", std::move(merges)}};
}

json addedToken(int id, const std::string& content) {
  return {{"id", id},          {"content", content}, {"single_word", false}, {"lstrip", false},
          {"rstrip", false},   {"normalized", false}, {"special", true}};
}

json templateWithBos(const std::string& bos, int id) {
  return {{"type", "TemplateProcessing"},
          {"single", json::array({{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}},
                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
          {"pair", json::array({{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
          {"special_tokens", {{bos, {{"id", bos}, {"ids", {id}}, {"tokens", {bos}}}}}}};
}

// Byte-level BPE after Llama 3: the whole byte alphabet, a few merges, the Split regex,
// NFC, an added special token and a template adding it first.
json byteLevelTokenizer() {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) vocab[tokenizer::toByteLevel(std::string(1, static_cast<char>(b)))] = b;
  const std::vector<std::string> merged = {"he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld", "12"};
  for (std::size_t i = 0; i < merged.size(); ++i) vocab[merged[i]] = 256 + static_cast<int>(i);
  const json merges = json::array({"h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "1 2"});
  const json split = {
      {"type", "Split"},
      {"pattern",
       {{"Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}}},
      {"behavior", "Isolated"},
      {"invert", false}};
  const json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}};
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", json::array({addedToken(266, "<|begin_of_text|>")})},
          {"normalizer", {{"type", "NFC"}}},
          {"pre_tokenizer", {{"type", "Sequence"}, {"pretokenizers", json::array({split, byte_level})}}},
          {"post_processor", templateWithBos("<|begin_of_text|>", 266)},
          {"decoder", {{"type", "ByteLevel"}}},
          {"model", bpeModel(vocab, merges, false)}};
}

// Metaspace BPE with byte fallback after Llama 2 and Mistral.
json metaspaceTokenizer() {
  json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  char name[8];
  for (int b = 0; b < 256; ++b) {
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = 3 + b;
  }
  const std::vector<std::string> pieces = {"▁", "h", "i", "t", "e", "r", "▁h", "▁hi", "er"};
  for (std::size_t i = 0; i < pieces.size(); ++i) vocab[pieces[i]] = 259 + static_cast<int>(i);
  return {{"version", "1.0"},
          {"added_tokens", json::array({addedToken(0, "<unk>"), addedToken(1, "<s>"), addedToken(2, "</s>")})},
          {"normalizer",
           {{"type", "Sequence"},
            {"normalizers", json::array({{{"type", "Prepend"}, {"prepend", "▁"}},
                                         {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "▁"}}})}}},
          {"pre_tokenizer", nullptr},
          {"post_processor", templateWithBos("<s>", 1)},
          {"decoder", nullptr},
          {"model", bpeModel(vocab, json::array({"▁ h", "▁h i", "e r"}), true)}};
}

// The other pre-tokenizers and normalizers, on the byte alphabet.
json assortedTokenizer() {
  json tokenizer = byteLevelTokenizer();
  tokenizer["normalizer"] = {
      {"type", "Sequence"},
      {"normalizers", json::array({{{"type", "NFD"}}, {{"type", "Lowercase"}}, {{"type", "Strip"}, {"left", true}, {"right", true}},
                                   {{"type", "Replace"}, {"pattern", {{"Regex", "\\s+"}}}, {"content", " "}}})}};
  tokenizer["pre_tokenizer"] = {
      {"type", "Sequence"},
      {"pretokenizers",
       json::array({{{"type", "Digits"}, {"individual_digits", true}}, {{"type", "Punctuation"}, {"behavior", "Isolated"}},
                    {{"type", "WhitespaceSplit"}},
                    {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}})}};
  tokenizer["post_processor"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
  return tokenizer;
}

std::string textThenFile(const std::string& text, const std::string& file) {
  return std::string(text).append(1, '\0').append(file);
}

int writeTokenizerSeeds(const fs::path& root) {
  SeedFolder seeds(root, "tokenizer_json");
  const std::string text = "Hello world 12345, it's héllo\n\tagain! 😀 <|begin_of_text|>";
  seeds.add("byte_level.bin", textThenFile(text, byteLevelTokenizer().dump()));
  seeds.add("metaspace.bin", textThenFile("hi there, hier", metaspaceTokenizer().dump()));
  seeds.add("assorted.bin", textThenFile(text, assortedTokenizer().dump()));

  SeedFolder sentencepiece(root, "sentencepiece_model");
  sentencepiece.add("demo.bin", textThenFile("As an open source alternative to", std::string(embedded::demoTokenizerModel())));
  return seeds.written() + sentencepiece.written();
}

int writeResultsSeeds(const fs::path& root) {
  SeedFolder seeds(root, "results_reader");
  const fs::path file = seeds.dir() / "seed.h5";
  results::RunMetadata metadata;
  metadata.model = "/models/tiny";
  metadata.family = "mixtral";
  metadata.layers = 2;
  metadata.experts = 4;
  metadata.top_k = 2;
  metadata.dtype = "float32";
  metadata.device = "cpu";
  metadata.created = "2024-06-30T12:00:00Z";
  metadata.analyses = {"routing", "weights"};
  {
    results::ResultsWriter writer = results::ResultsWriter::create(file, metadata);
    writer.writeInt("/tokens/ids", IndexArray({3}, {1, 17, 42}));
    writer.writeStrings("/tokens/text", {"<s>", "▁As", "\xff bad"});
    // Scores are probabilities: the reader refuses values a results file cannot hold.
    std::vector<float> probabilities = ramp(12, 0.5f);
    for (float& p : probabilities) p += 0.5f;
    FloatArray scores({3, 4}, probabilities);
    scores.labels = {"0", "1", "2", "3"};
    writer.writeFloat("/layers/0/gate_scores", scores);
    writer.writeInt("/layers/0/topk_ids", IndexArray({3, 2}, {0, 1, 2, 3, 1, 0}));
    writer.writeFloat("/layers/1/weights_similarity/up", FloatArray({4, 4}, ramp(16, 1.0f)));
    // Above the compression threshold: chunked and deflated.
    writer.writeFloat("/layers/1/activations", FloatArray({16, 4, 320}, ramp(16 * 4 * 320, 2.0f)));
    writer.writeFloat("/summary/top1_agreement", FloatArray({2}, {0.25f, 0.5f}));
    writer.setAttribute("/summary/top1_agreement", "overall", AttributeValue(0.375));
    writer.setAttribute("/summary/top1_agreement", "columns", AttributeValue(std::vector<std::string>{"a", "b"}));
    writer.setAttribute("/layers/0", "counts", AttributeValue(std::vector<int64_t>{1, 2, 3}));
    writer.setAttribute("/layers/0", "means", AttributeValue(std::vector<double>{0.5, 1.5}));
    writer.writeFloat("/scalar", FloatArray({}, {3.5f}));
    writer.finish();
  }
  seeds.addFile("results.h5", file);
  {
    results::ResultsWriter writer = results::ResultsWriter::create(file, metadata);
    writer.finish();
  }
  seeds.addFile("metadata_only.h5", file);
  fs::remove(file);
  return seeds.written();
}

// GGUF files as llama.cpp writes them: a MoE layer's tensors in F32, F16 and Q8_0 with the
// metadata and tokenizer keys a reader looks for, and a file of a custom alignment.
int writeGgufSeeds(const fs::path& root) {
  using namespace checkpoint;
  SeedFolder seeds(root, "gguf");
  const auto bytes = [](std::size_t count) {
    std::string out(count, '\0');
    for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<char>(i * 37 + 11);
    return out;
  };
  GgufWriter layer;
  layer.setString("general.architecture", "qwen2moe");
  layer.setUInt32("qwen2moe.block_count", 1);
  layer.setUInt32("qwen2moe.expert_count", 4);
  layer.setUInt32("qwen2moe.expert_used_count", 2);
  layer.setFloat32("qwen2moe.rope.freq_base", 1000000.0f);
  layer.setString("tokenizer.ggml.model", "gpt2");
  layer.setStrings("tokenizer.ggml.tokens", {"a", "b", "ab", "\xc4\xa0"});
  layer.setInt32s("tokenizer.ggml.token_type", {1, 1, 1, 1});
  layer.setStrings("tokenizer.ggml.merges", {"a b"});
  layer.setBool("tokenizer.ggml.add_bos_token", false);
  layer.addTensor("token_embd.weight", 0, {32, 4}, bytes(32 * 4 * 4));
  layer.addTensor("blk.0.ffn_gate_inp.weight", 0, {32, 4}, bytes(32 * 4 * 4));
  layer.addTensor("blk.0.ffn_up_exps.weight", 8, {32, 16, 4}, bytes(16 * 4 * 34));
  layer.addTensor("blk.0.ffn_down_exps.weight", 1, {16, 32, 4}, bytes(16 * 32 * 4 * 2));
  seeds.add("moe_layer.gguf", layer.bytes());
  // A Mixtral-like file whose metadata makes a whole spec, with a sentencepiece vocabulary.
  GgufWriter mixtral;
  mixtral.setString("general.architecture", "llama");
  for (const auto& [key, value] : std::vector<std::pair<const char*, std::uint32_t>>{
           {"llama.block_count", 1}, {"llama.embedding_length", 32}, {"llama.feed_forward_length", 32},
           {"llama.attention.head_count", 4}, {"llama.attention.head_count_kv", 2}, {"llama.expert_count", 4},
           {"llama.expert_used_count", 2}, {"tokenizer.ggml.bos_token_id", 1}})
    mixtral.setUInt32(key, value);
  mixtral.setFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
  mixtral.setString("tokenizer.ggml.model", "llama");
  mixtral.setStrings("tokenizer.ggml.tokens", {"<unk>", "<s>", "</s>", "<0x41>", "\xe2\x96\x81" "a", "a"});
  mixtral.setFloat32s("tokenizer.ggml.scores", {0, 0, 0, 0, -1, -2});
  mixtral.setInt32s("tokenizer.ggml.token_type", {2, 3, 3, 6, 1, 1});
  mixtral.addTensor("token_embd.weight", 0, {32, 6}, bytes(32 * 6 * 4));
  seeds.add("mixtral_spm.gguf", mixtral.bytes());
  GgufWriter aligned(2);
  aligned.setAlignment(64);
  aligned.setFloat32s("scores", {0.0f, -1.0f});
  aligned.addTensor("a", 0, {3}, bytes(12));
  aligned.addTensor("b", 30, {5}, bytes(10));
  // One block of every quantised type MoEScope decodes.
  for (const std::uint32_t type : {2u, 3u, 6u, 7u, 8u, 10u, 11u, 12u, 13u, 14u, 20u, 23u, 39u}) {
    const GgmlTypeInfo* info = ggmlType(type);
    std::string name = "q";
    name += std::to_string(type);
    aligned.addTensor(name, type, {info->block_values}, bytes(std::size_t(info->block_bytes)));
  }
  seeds.add("aligned_v2.gguf", aligned.bytes());
  seeds.add("empty.gguf", GgufWriter().bytes());
  return seeds.written();
}

}  // namespace

int writeSeedCorpus(const fs::path& out, const fs::path& reference_configs) {
  try {
    fs::create_directories(out);
    return writeSafetensorsSeeds(out) + writeGgufSeeds(out) + writeModelConfigSeeds(out, reference_configs) + writeTokenizerSeeds(out) +
           writeResultsSeeds(out);
  } catch (const fs::filesystem_error& error) {
    throw Error(ErrorCategory::Io, std::string("cannot write the seed corpus: ") + error.what());
  }
}

}  // namespace moescope::fuzz
