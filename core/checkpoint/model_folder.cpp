#include "core/checkpoint/model_folder.h"

#include <map>
#include <sstream>

#include "core/checkpoint/config_parser.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_model.h"
#include "core/checkpoint/mxfp4.h"
#include "core/error.h"
#include "core/path_checks.h"

namespace moescope::checkpoint {
namespace {

using Shape = std::vector<int64_t>;

// Every tensor the spec calls for, with the shape the spec implies.
struct ExpectedTensor {
  std::string name;
  Shape shape;
  bool optional = false;
  bool routed_expert = false;  // counted once per expert a token uses, not per expert stored
  bool may_be_fp8 = false;     // a projection weight, F8_E4M3 with block scales in FP8 checkpoints
  // The U8 halves of an MXFP4 matrix: blocks hold two parameters a byte, scales none.
  enum class Packing { None, Mxfp4Blocks, Mxfp4Scales } packing = Packing::None;
};

// One float32 scale per 128 x 128 block of an FP8 weight (DeepSeek-V3's weight_block_size).
constexpr int64_t kFp8Block = 128;

std::string fp8ScaleTensorName(const std::string& weight) { return std::string(weight).append("_scale_inv"); }

int firstMoeLayer(const ModelSpec& spec) {
  for (std::size_t layer = 0; layer < spec.layer_kinds.size(); ++layer)
    if (spec.layer_kinds[layer] == LayerKind::Moe) return static_cast<int>(layer);
  return -1;
}

// Fused shapes of one layer's experts for each layout: {gate_up, down} (MXFP4: the matrices'
// shapes, before packing).
std::pair<Shape, Shape> fusedShapes(const ModelSpec& s, ExpertLayout layout) {
  const int64_t E = s.num_experts, H = s.hidden_size, I = s.expert_intermediate_size;
  if (layout == ExpertLayout::FusedInByOut) return {{E, H, 2 * I}, {E, I, H}};
  return {{E, 2 * I, H}, {E, H, I}};
}

ExpertLayout detectExpertLayout(const Model& model) {
  const ModelSpec& spec = model.spec;
  const ArchitectureInfo& arch = *model.arch;
  const WeightStore& weights = *model.weights;
  const std::string dir = model.dir.string();
  const int layer = firstMoeLayer(spec);
  if (layer < 0) return ExpertLayout::PerExpert;
  auto name = [&](TensorRole role, int expert = -1) { return model.stored(tensorName(arch, role, layer, expert)); };
  const bool per_expert_names = arch.has(TensorRole::ExpertGate) && !arch.experts_fused_only;
  if (per_expert_names && weights.find(name(TensorRole::ExpertGate, 0))) return ExpertLayout::PerExpert;
  if (!arch.has(TensorRole::ExpertsGateUpFused)) return ExpertLayout::PerExpert;
  const std::string gate_up_name = name(TensorRole::ExpertsGateUpFused);
  if (weights.find(mxfp4BlocksName(gate_up_name))) return ExpertLayout::FusedMxfp4;
  const TensorInfo* gate_up = weights.find(gate_up_name);
  const TensorInfo* down = weights.find(name(TensorRole::ExpertsDownFused));
  // The missing tensor is reported by the check of every expected tensor: per expert where
  // the family has such names, else fused.
  if (!gate_up || !down) return per_expert_names ? ExpertLayout::PerExpert : ExpertLayout::FusedInByOut;
  for (ExpertLayout layout : {ExpertLayout::FusedOutByIn, ExpertLayout::FusedInByOut}) {
    const auto [want_gate_up, want_down] = fusedShapes(spec, layout);
    if (gate_up->shape == want_gate_up && down->shape == want_down) return layout;
  }
  const auto [a_gate_up, a_down] = fusedShapes(spec, ExpertLayout::FusedOutByIn);
  const auto [b_gate_up, b_down] = fusedShapes(spec, ExpertLayout::FusedInByOut);
  throw Error(ErrorCategory::ShapeMismatch,
              dir + ": fused expert tensors \"" + gate_up->name + "\" " + shapeText(gate_up->shape) + " and \"" +
                  down->name + "\" " + shapeText(down->shape) + " match neither layout " + model.described_by + " implies (" +
                  shapeText(a_gate_up) + " with " + shapeText(a_down) + ", or " + shapeText(b_gate_up) + " with " +
                  shapeText(b_down) + ")");
}

// An MXFP4 matrix [E, rows, cols] as its checkpoint stores it: blocks [E, rows, cols / 32, 16]
// and scales [E, rows, cols / 32], both U8.
void addMxfp4(std::vector<ExpectedTensor>& out, const Model& m, const std::string& weight, const Shape& shape) {
  const int64_t cols = shape.back();
  if (cols % kMxfp4GroupSize != 0)
    throw Error(ErrorCategory::ShapeMismatch, m.dir.string() + ": \"" + weight + "\" is stored as MXFP4, whose " +
                                                  std::to_string(kMxfp4GroupSize) + "-value groups need rows of a " +
                                                  "multiple of 32 values, but " + m.described_by + " implies " + shapeText(shape));
  Shape scales = shape;
  scales.back() = cols / kMxfp4GroupSize;
  Shape blocks = scales;
  blocks.push_back(kMxfp4GroupBytes);
  using Packing = ExpectedTensor::Packing;
  out.push_back({mxfp4BlocksName(weight), blocks, false, true, false, Packing::Mxfp4Blocks});
  out.push_back({mxfp4ScalesName(weight), scales, false, true, false, Packing::Mxfp4Scales});
}

void addNorm(std::vector<ExpectedTensor>& out, const Model& m, TensorRole weight, TensorRole bias, int layer) {
  const int64_t H = m.spec.hidden_size;
  out.push_back({m.tensor(weight, layer), {H}});
  if (m.spec.norm == NormKind::LayerNorm) out.push_back({m.tensor(bias, layer), {H}});
}

void addLatentAttention(std::vector<ExpectedTensor>& out, const Model& m, int layer) {
  const ModelSpec& s = m.spec;
  const LatentAttentionSpec& l = *s.latent_attention;
  const int64_t H = s.hidden_size, heads = s.num_heads, qk_head = l.qk_nope_head_dim + l.qk_rope_head_dim;
  if (l.q_lora_rank > 0) {
    out.push_back({m.tensor(TensorRole::AttnQA, layer), {l.q_lora_rank, H}, false, false, true});
    out.push_back({m.tensor(TensorRole::AttnQANorm, layer), {l.q_lora_rank}});
    out.push_back({m.tensor(TensorRole::AttnQB, layer), {heads * qk_head, l.q_lora_rank}, false, false, true});
  } else {
    out.push_back({m.tensor(TensorRole::AttnQ, layer), {heads * qk_head, H}, false, false, true});
  }
  out.push_back({m.tensor(TensorRole::AttnKvA, layer), {l.kv_lora_rank + l.qk_rope_head_dim, H}, false, false, true});
  out.push_back({m.tensor(TensorRole::AttnKvANorm, layer), {l.kv_lora_rank}});
  out.push_back({m.tensor(TensorRole::AttnKvB, layer), {heads * (l.qk_nope_head_dim + l.v_head_dim), l.kv_lora_rank},
                 false, false, true});
  out.push_back({m.tensor(TensorRole::AttnO, layer), {H, heads * l.v_head_dim}, false, false, true});
}

void addAttention(std::vector<ExpectedTensor>& out, const Model& m, int layer) {
  const ModelSpec& s = m.spec;
  if (s.attention.kind == AttentionKind::Latent) return addLatentAttention(out, m, layer);
  const int64_t H = s.hidden_size, q_width = s.num_heads * s.head_dim, kv_width = s.num_kv_heads * s.head_dim;
  out.push_back({m.tensor(TensorRole::AttnQ, layer), {q_width, H}});
  out.push_back({m.tensor(TensorRole::AttnK, layer), {kv_width, H}});
  out.push_back({m.tensor(TensorRole::AttnV, layer), {kv_width, H}});
  out.push_back({m.tensor(TensorRole::AttnO, layer), {H, q_width}});
  if (s.attention.qkv_bias) {
    out.push_back({m.tensor(TensorRole::AttnQBias, layer), {q_width}});
    out.push_back({m.tensor(TensorRole::AttnKBias, layer), {kv_width}});
    out.push_back({m.tensor(TensorRole::AttnVBias, layer), {kv_width}});
  }
  if (s.attention.o_bias) out.push_back({m.tensor(TensorRole::AttnOBias, layer), {H}});
  if (s.attention.sinks) out.push_back({m.tensor(TensorRole::AttnSinks, layer), {s.num_heads}});
  if (s.attention.qk_norm == QkNorm::PerHead) {
    out.push_back({m.tensor(TensorRole::AttnQNorm, layer), {s.head_dim}});
    out.push_back({m.tensor(TensorRole::AttnKNorm, layer), {s.head_dim}});
  } else if (s.attention.qk_norm == QkNorm::FullWidth) {
    out.push_back({m.tensor(TensorRole::AttnQNorm, layer), {q_width}});
    out.push_back({m.tensor(TensorRole::AttnKNorm, layer), {kv_width}});
  }
}

void addMoe(std::vector<ExpectedTensor>& out, const Model& m, int layer) {
  const ModelSpec& s = m.spec;
  const int64_t H = s.hidden_size, I = s.expert_intermediate_size;
  out.push_back({m.tensor(TensorRole::Router, layer), {s.num_experts, H}});
  if (s.routing == RoutingRule::SigmoidGroupTopK)
    out.push_back({m.tensor(TensorRole::RouterCorrectionBias, layer), {s.num_experts}});
  if (s.router_bias) out.push_back({m.tensor(TensorRole::RouterBias, layer), {s.num_experts}});
  if (m.expert_layout == ExpertLayout::FusedMxfp4) {
    const auto [gate_up, down] = fusedShapes(s, m.expert_layout);
    addMxfp4(out, m, m.tensor(TensorRole::ExpertsGateUpFused, layer), gate_up);
    addMxfp4(out, m, m.tensor(TensorRole::ExpertsDownFused, layer), down);
  } else if (m.fusedExperts()) {
    const auto [gate_up, down] = fusedShapes(s, m.expert_layout);
    out.push_back({m.tensor(TensorRole::ExpertsGateUpFused, layer), gate_up, false, true});
    out.push_back({m.tensor(TensorRole::ExpertsDownFused, layer), down, false, true});
  } else {
    for (int e = 0; e < s.num_experts; ++e) {
      out.push_back({m.tensor(TensorRole::ExpertGate, layer, e), {I, H}, false, true, true});
      out.push_back({m.tensor(TensorRole::ExpertUp, layer, e), {I, H}, false, true, true});
      out.push_back({m.tensor(TensorRole::ExpertDown, layer, e), {H, I}, false, true, true});
    }
  }
  if (s.expert_biases && m.expert_layout == ExpertLayout::PerExpert) {
    for (int e = 0; e < s.num_experts; ++e) {
      out.push_back({m.tensor(TensorRole::ExpertGateBias, layer, e), {I}, false, true});
      out.push_back({m.tensor(TensorRole::ExpertUpBias, layer, e), {I}, false, true});
      out.push_back({m.tensor(TensorRole::ExpertDownBias, layer, e), {H}, false, true});
    }
  } else if (s.expert_biases) {
    out.push_back({m.tensor(TensorRole::ExpertsGateUpFusedBias, layer), {s.num_experts, 2 * I}, false, true});
    out.push_back({m.tensor(TensorRole::ExpertsDownFusedBias, layer), {s.num_experts, H}, false, true});
  }
  if (s.shared_expert.present()) {
    const int64_t Is = s.shared_expert.intermediate_size;
    out.push_back({m.tensor(TensorRole::SharedGate, layer), {Is, H}, false, false, true});
    out.push_back({m.tensor(TensorRole::SharedUp, layer), {Is, H}, false, false, true});
    out.push_back({m.tensor(TensorRole::SharedDown, layer), {H, Is}, false, false, true});
    if (s.shared_expert.kind == SharedExpertKind::SigmoidGated)
      out.push_back({m.tensor(TensorRole::SharedExpertGate, layer), {1, H}});
  }
}

std::vector<ExpectedTensor> expectedTensors(const Model& model) {
  const ModelSpec& s = model.spec;
  const int64_t H = s.hidden_size, V = s.vocab_size;
  std::vector<ExpectedTensor> expected;
  expected.push_back({model.tensor(TensorRole::TokenEmbedding), {V, H}});
  addNorm(expected, model, TensorRole::FinalNorm, TensorRole::FinalNormBias, -1);
  // Tied models may still ship an lm_head copy; untied ones must.
  expected.push_back({model.tensor(TensorRole::LmHead), {V, H}, s.tie_word_embeddings});
  if (s.lm_head_bias) expected.push_back({model.tensor(TensorRole::LmHeadBias), {V}});
  for (int layer = 0; layer < s.num_layers; ++layer) {
    addNorm(expected, model, TensorRole::AttnNorm, TensorRole::AttnNormBias, layer);
    addNorm(expected, model, TensorRole::FfnNorm, TensorRole::FfnNormBias, layer);
    if (s.post_block_norms) {
      expected.push_back({model.tensor(TensorRole::PostAttnNorm, layer), {H}});
      expected.push_back({model.tensor(TensorRole::PostFfnNorm, layer), {H}});
    }
    addAttention(expected, model, layer);
    if (s.layer_kinds[layer] == LayerKind::Moe) {
      addMoe(expected, model, layer);
    } else {
      const int64_t I = s.intermediate_size;
      expected.push_back({model.tensor(TensorRole::DenseGate, layer), {I, H}, false, false, true});
      expected.push_back({model.tensor(TensorRole::DenseUp, layer), {I, H}, false, false, true});
      expected.push_back({model.tensor(TensorRole::DenseDown, layer), {H, I}, false, false, true});
    }
  }
  return expected;
}

// An F8_E4M3 weight is accepted where the checkpoint may quantise it and its block scales sit
// beside it with one floating-point scale per 128 x 128 block.
void checkFp8Weight(const Model& model, const ExpectedTensor& want, const TensorInfo& have) {
  const std::string& dir = model.dir.string();
  if (!want.may_be_fp8 || !model.spec.fp8_block_weights)
    throw Error(ErrorCategory::UnsupportedFormat,
                dir + ": tensor \"" + want.name + "\" is stored as F8_E4M3; MoEScope dequantises float8 only for "
                "the projection weights of a checkpoint whose config.json declares quantization_config fp8");
  const std::string scale_name = fp8ScaleTensorName(want.name);
  const TensorInfo* scale = model.weights->find(scale_name);
  if (!scale)
    throw Error(ErrorCategory::MalformedFile, dir + ": tensor \"" + want.name + "\" is stored as F8_E4M3 but its "
                                                  "block scales \"" + scale_name + "\" are missing");
  const Shape blocks = {(want.shape[0] + kFp8Block - 1) / kFp8Block, (want.shape[1] + kFp8Block - 1) / kFp8Block};
  if (scale->shape != blocks)
    throw Error(ErrorCategory::ShapeMismatch, dir + ": tensor \"" + scale_name + "\" has shape " +
                                                  shapeText(scale->shape) + " but the 128 x 128 blocks of \"" +
                                                  want.name + "\" " + shapeText(want.shape) + " need " +
                                                  shapeText(blocks));
  if (scale->dtype != DType::F32 && scale->dtype != DType::BF16 && scale->dtype != DType::F16)
    throw Error(ErrorCategory::UnsupportedFormat, dir + ": tensor \"" + scale_name + "\" is stored as " +
                                                      std::string(dtypeName(scale->dtype)) +
                                                      "; block scales must be F32, BF16 or F16");
}

}  // namespace

std::string expertLayoutName(ExpertLayout layout) {
  switch (layout) {
    case ExpertLayout::PerExpert: return "per-expert";
    case ExpertLayout::FusedOutByIn: return "fused [E, 2I, H] / [E, H, I]";
    case ExpertLayout::FusedInByOut: return "fused [E, H, 2I] / [E, I, H]";
    case ExpertLayout::FusedMxfp4: return "fused MXFP4 [E, 2I, H] / [E, H, I]";
  }
  return "unknown";
}

Model openModel(const std::filesystem::path& dir) {
  std::error_code ec;
  if (isGgufFile(dir)) return openGgufModel(dir);
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ErrorCategory::Io, dir.string() + " is not a folder (a model folder holds config.json and *.safetensors)");
  const auto config = dir / "config.json";
  if (!pathExists(config)) {  // a symlink loop is an Io error naming it, not "no config.json"
    if (const auto gguf = ggufModelInFolder(dir)) return openGgufModel(*gguf);
    throw Error(ErrorCategory::MalformedFile, "no config.json in " + dir.string() + "; is this a Hugging Face model folder?");
  }

  Model model;
  // Absolute, so the folder reads the same in the results file, the Model panel and inspect
  // whatever the working directory was (lexically: symlinks stay as the user named them).
  std::error_code absolute_error;
  model.dir = std::filesystem::absolute(dir, absolute_error).lexically_normal();
  if (absolute_error) model.dir = dir;
  model.spec = loadModelConfig(config);
  model.arch = &architectureInfo(model.spec.family);
  model.weights = WeightStore::openFolder(dir);
  // The registry's own names, else the first other place that holds the token embedding.
  if (!model.weights->find(model.tensor(TensorRole::TokenEmbedding)))
    for (const NamePrefix& prefix : model.arch->name_prefixes) {
      model.name_prefix = prefix;
      if (model.weights->find(model.tensor(TensorRole::TokenEmbedding))) break;
      model.name_prefix = {};
    }
  model.expert_layout = detectExpertLayout(model);

  checkModelTensors(model);
  return model;
}

void checkModelTensors(const Model& model) {
  for (const auto& want : expectedTensors(model)) {
    const TensorInfo* have = model.weights->find(want.name);
    if (!have) {
      if (want.optional) continue;
      throw Error(ErrorCategory::MalformedFile, model.dir.string() + ": tensor \"" + model.nameInFile(want.name) +
                                                    "\" is missing (" + model.described_by + " describes a " + model.spec.family_name +
                                                    " model that needs it)");
    }
    if (have->shape != want.shape)
      throw Error(ErrorCategory::ShapeMismatch, model.dir.string() + ": tensor \"" + model.nameInFile(want.name) + "\" has shape " +
                                                    shapeText(have->shape) + " but " + model.described_by + " implies " +
                                                    shapeText(want.shape));
    if (want.packing != ExpectedTensor::Packing::None) {
      if (have->dtype != DType::U8)
        throw Error(ErrorCategory::UnsupportedFormat, model.dir.string() + ": tensor \"" + model.nameInFile(want.name) + "\" is stored as " +
                                                          std::string(dtypeName(have->dtype)) +
                                                          "; MXFP4 blocks and scales are U8");
      continue;
    }
    if (have->dtype == DType::F8_E4M3) {
      checkFp8Weight(model, want, *have);
      continue;
    }
    if (!isFloatingPoint(have->dtype))
      throw Error(ErrorCategory::UnsupportedFormat, model.dir.string() + ": tensor \"" + model.nameInFile(want.name) + "\" is stored as " +
                                                        std::string(dtypeName(have->dtype)) +
                                                        "; MoEScope reads F32, F16 and BF16 weights");
    if (have->dtype != DType::F32 && have->dtype != DType::F16 && have->dtype != DType::BF16 &&
        have->dtype != DType::F64)
      throw Error(ErrorCategory::UnsupportedFormat, model.dir.string() + ": tensor \"" + model.nameInFile(want.name) + "\" is stored as " +
                                                        std::string(dtypeName(have->dtype)) +
                                                        ", which MoEScope cannot compute with yet");
  }
}

ParameterCounts countParameters(const Model& model) {
  ParameterCounts counts;
  for (const auto& want : expectedTensors(model)) {
    const TensorInfo* have = model.weights->find(want.name);
    if (!have) continue;
    // An MXFP4 byte holds two parameters; its scales are none.
    const int64_t parameters = want.packing == ExpectedTensor::Packing::Mxfp4Blocks   ? 2 * have->numel()
                               : want.packing == ExpectedTensor::Packing::Mxfp4Scales ? 0
                                                                                      : have->numel();
    counts.total += parameters;
    if (want.routed_expert) counts.expert += parameters;
  }
  // The token embedding is a lookup; HF counts it as a parameter all the same, and so do we.
  const ModelSpec& s = model.spec;
  counts.active_per_token = counts.total - counts.expert;
  if (s.num_experts > 0) counts.active_per_token += counts.expert / s.num_experts * s.top_k;
  return counts;
}

std::string dominantStoredDType(const Model& model) {
  std::map<std::string, uint64_t> bytes;
  for (const auto& name : model.weights->names()) {
    const TensorInfo& info = model.weights->require(name);
    const bool mxfp4 = mxfp4PartOf(name, info.dtype) != Mxfp4Part::None;
    const std::string type = info.ggml_type ? ggmlTypeName(*info.ggml_type)
                             : mxfp4        ? std::string("MXFP4")
                                            : std::string(dtypeName(info.dtype));
    bytes[type] += info.byte_size;
  }
  std::string best;
  uint64_t best_bytes = 0;
  for (const auto& [dtype, count] : bytes)
    if (count > best_bytes) best = dtype, best_bytes = count;
  return best;
}

}  // namespace moescope::checkpoint
