#include "core/checkpoint/model_folder.h"

#include <map>
#include <sstream>

#include "core/checkpoint/config_parser.h"
#include "core/error.h"

namespace moescope::checkpoint {
namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

// Every tensor the spec calls for, with the shape the spec implies.
struct ExpectedTensor {
  std::string name;
  std::vector<int64_t> shape;
  bool optional = false;
};

std::vector<ExpectedTensor> expectedTensors(const Model& model) {
  const ModelSpec& s = model.spec;
  const int64_t H = s.hidden_size, V = s.vocab_size;
  const int64_t q_width = s.num_heads * s.head_dim, kv_width = s.num_kv_heads * s.head_dim;
  std::vector<ExpectedTensor> expected;
  expected.push_back({model.tensor(TensorRole::TokenEmbedding), {V, H}});
  expected.push_back({model.tensor(TensorRole::FinalNorm), {H}});
  // Tied models may still ship an lm_head copy; untied ones must.
  expected.push_back({model.tensor(TensorRole::LmHead), {V, H}, s.tie_word_embeddings});
  for (int layer = 0; layer < s.num_layers; ++layer) {
    expected.push_back({model.tensor(TensorRole::AttnNorm, layer), {H}});
    expected.push_back({model.tensor(TensorRole::FfnNorm, layer), {H}});
    expected.push_back({model.tensor(TensorRole::AttnQ, layer), {q_width, H}});
    expected.push_back({model.tensor(TensorRole::AttnK, layer), {kv_width, H}});
    expected.push_back({model.tensor(TensorRole::AttnV, layer), {kv_width, H}});
    expected.push_back({model.tensor(TensorRole::AttnO, layer), {H, q_width}});
    if (s.layer_kinds[layer] == LayerKind::Moe) {
      const int64_t I = s.expert_intermediate_size;
      expected.push_back({model.tensor(TensorRole::Router, layer), {s.num_experts, H}});
      for (int e = 0; e < s.num_experts; ++e) {
        expected.push_back({model.tensor(TensorRole::ExpertGate, layer, e), {I, H}});
        expected.push_back({model.tensor(TensorRole::ExpertUp, layer, e), {I, H}});
        expected.push_back({model.tensor(TensorRole::ExpertDown, layer, e), {H, I}});
      }
    } else {
      const int64_t I = s.intermediate_size;
      expected.push_back({model.tensor(TensorRole::DenseGate, layer), {I, H}});
      expected.push_back({model.tensor(TensorRole::DenseUp, layer), {I, H}});
      expected.push_back({model.tensor(TensorRole::DenseDown, layer), {H, I}});
    }
  }
  return expected;
}

}  // namespace

Model openModel(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ErrorCategory::Io, dir.string() + " is not a folder (a model folder holds config.json and *.safetensors)");
  const auto config = dir / "config.json";
  if (!std::filesystem::exists(config, ec))
    throw Error(ErrorCategory::MalformedFile, "no config.json in " + dir.string() + "; is this a Hugging Face model folder?");

  Model model;
  model.dir = dir;
  model.spec = loadModelConfig(config);
  model.arch = &architectureInfo(model.spec.family);
  model.weights = WeightStore::openFolder(dir);

  for (const auto& want : expectedTensors(model)) {
    const TensorInfo* have = model.weights->find(want.name);
    if (!have) {
      if (want.optional) continue;
      throw Error(ErrorCategory::MalformedFile, dir.string() + ": tensor \"" + want.name +
                                                    "\" is missing (config.json describes a " + model.spec.family_name +
                                                    " model that needs it)");
    }
    if (have->shape != want.shape)
      throw Error(ErrorCategory::ShapeMismatch, dir.string() + ": tensor \"" + want.name + "\" has shape " +
                                                    shapeText(have->shape) + " but config.json implies " +
                                                    shapeText(want.shape));
    if (!isFloatingPoint(have->dtype))
      throw Error(ErrorCategory::UnsupportedFormat, dir.string() + ": tensor \"" + want.name + "\" is stored as " +
                                                        std::string(dtypeName(have->dtype)) +
                                                        "; MoEScope reads F32, F16 and BF16 weights");
    if (have->dtype != DType::F32 && have->dtype != DType::F16 && have->dtype != DType::BF16 &&
        have->dtype != DType::F64)
      throw Error(ErrorCategory::UnsupportedFormat, dir.string() + ": tensor \"" + want.name + "\" is stored as " +
                                                        std::string(dtypeName(have->dtype)) +
                                                        ", which MoEScope cannot compute with yet");
  }
  return model;
}

ParameterCounts countParameters(const Model& model) {
  ParameterCounts counts;
  int64_t experts_total = 0;
  for (const auto& want : expectedTensors(model)) {
    const TensorInfo* have = model.weights->find(want.name);
    if (!have) continue;
    counts.total += have->numel();
    if (want.name.find(".experts.") != std::string::npos) experts_total += have->numel();
  }
  // The token embedding is a lookup; HF counts it as a parameter all the same, and so do we.
  counts.expert = experts_total;
  const ModelSpec& s = model.spec;
  counts.active_per_token = counts.total - experts_total;
  if (s.num_experts > 0) counts.active_per_token += experts_total / s.num_experts * s.top_k;
  return counts;
}

std::string dominantStoredDType(const Model& model) {
  std::map<std::string, uint64_t> bytes;
  for (const auto& name : model.weights->names()) {
    const TensorInfo& info = model.weights->require(name);
    bytes[std::string(dtypeName(info.dtype))] += info.byte_size;
  }
  std::string best;
  uint64_t best_bytes = 0;
  for (const auto& [dtype, count] : bytes)
    if (count > best_bytes) best = dtype, best_bytes = count;
  return best;
}

}  // namespace moescope::checkpoint

