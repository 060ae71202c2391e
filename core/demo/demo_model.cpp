#include "core/demo/demo_model.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/error.h"
#include "core/tokenizer/demo_tokenizer.h"

namespace moescope::demo {
namespace {

using checkpoint::TensorRole;

// Noise of layer L's experts around their parent FFN: rising with depth, then lower again
// in the last layer (the paper's third finding).
double layerNoise(const DemoRecipe& r, int64_t layer) {
  if (layer == r.num_layers - 1 && r.num_layers > 1) return r.last_layer_noise;
  const int64_t span = std::max<int64_t>(r.num_layers - 2, 1);
  return r.first_layer_noise + (r.deepest_noise - r.first_layer_noise) * static_cast<double>(layer) / span;
}

class TensorCollector {
 public:
  void add(std::string name, const at::Tensor& tensor) {
    const at::Tensor bf16 = tensor.to(at::kBFloat16).contiguous();
    std::vector<int64_t> shape(bf16.sizes().begin(), bf16.sizes().end());
    std::vector<std::byte> bytes(bf16.numel() * 2);
    std::memcpy(bytes.data(), bf16.data_ptr(), bytes.size());
    sources_.push_back(checkpoint::tensorFromBytes(std::move(name), checkpoint::DType::BF16, std::move(shape),
                                                   std::move(bytes)));
  }
  const std::vector<checkpoint::TensorSource>& sources() const { return sources_; }

 private:
  std::vector<checkpoint::TensorSource> sources_;
};

void writeConfig(const std::filesystem::path& path, const DemoRecipe& r) {
  nlohmann::ordered_json config = {
      {"architectures", {"MixtralForCausalLM"}},
      {"model_type", "mixtral"},
      {"hidden_act", "silu"},
      {"hidden_size", r.hidden_size},
      {"intermediate_size", r.intermediate_size},
      {"num_hidden_layers", r.num_layers},
      {"num_attention_heads", r.num_heads},
      {"num_key_value_heads", r.num_kv_heads},
      {"num_local_experts", r.num_experts},
      {"num_experts_per_tok", r.top_k},
      {"vocab_size", r.vocab_size},
      {"max_position_embeddings", 4096},
      {"rms_norm_eps", 1e-5},
      {"rope_theta", 1000000.0},
      {"sliding_window", nullptr},
      {"tie_word_embeddings", false},
      {"bos_token_id", 1},
      {"eos_token_id", 2},
      {"torch_dtype", "bfloat16"},
      {"moescope_demo",
       {{"recipe_version", kDemoRecipeVersion},
        {"seed", r.seed},
        {"first_layer_noise", r.first_layer_noise},
        {"deepest_noise", r.deepest_noise},
        {"last_layer_noise", r.last_layer_noise},
        {"about", "MoEScope's built-in demo: experts of each layer are one parent FFN plus noise that grows "
                  "with depth (lower again in the last layer); router rows follow each expert's mean "
                  "gate-projection neuron. See resources/demo/README.md."}}}};
  std::ofstream out(path, std::ios::trunc);
  out << config.dump(2) << '\n';
  if (!out) throw Error(ErrorCategory::Io, "cannot write " + path.string());
}

void moveInto(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
}

}  // namespace

void writeDemoModel(const std::filesystem::path& dir, const DemoRecipe& recipe_in) {
  DemoRecipe r = recipe_in;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot create " + dir.string() + ": " + ec.message());
  // Everything is written into a staging folder beside the target and moved in at the end,
  // config.json last: a folder with a config.json is always complete.
  const auto staging = dir / (".staging-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(staging, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot write into " + dir.string() + ": " + ec.message());
  try {
    const int64_t trained_vocab = tokenizer::writeDemoTokenizer(staging);
    if (r.vocab_size <= 0) r.vocab_size = trained_vocab;
    if (r.vocab_size < trained_vocab)
      throw Error(ErrorCategory::InvalidArgument, "demo vocab_size is smaller than the demo tokenizer's");

    at::NoGradGuard no_grad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(r.seed);
    auto randn = [&](std::vector<int64_t> shape, double stddev) {
      return at::normal(0.0, stddev, shape, gen, at::TensorOptions().dtype(at::kFloat));
    };
    const auto& arch = checkpoint::architectureInfo(checkpoint::Family::Mixtral);
    auto name = [&](TensorRole role, int layer = -1, int expert = -1) {
      return checkpoint::tensorName(arch, role, layer, expert);
    };
    const int64_t H = r.hidden_size, I = r.intermediate_size, E = r.num_experts;
    const int64_t head_dim = H / r.num_heads;
    const double h_scale = 1.0 / std::sqrt(static_cast<double>(H));
    const double i_scale = 1.0 / std::sqrt(static_cast<double>(I));

    TensorCollector out;
    out.add(name(TensorRole::TokenEmbedding), randn({r.vocab_size, H}, 1.0));
    out.add(name(TensorRole::FinalNorm), at::ones({H}));
    out.add(name(TensorRole::LmHead), randn({r.vocab_size, H}, h_scale));
    for (int L = 0; L < r.num_layers; ++L) {
      out.add(name(TensorRole::AttnNorm, L), at::ones({H}));
      out.add(name(TensorRole::FfnNorm, L), at::ones({H}));
      out.add(name(TensorRole::AttnQ, L), randn({r.num_heads * head_dim, H}, h_scale));
      out.add(name(TensorRole::AttnK, L), randn({r.num_kv_heads * head_dim, H}, h_scale));
      out.add(name(TensorRole::AttnV, L), randn({r.num_kv_heads * head_dim, H}, h_scale));
      out.add(name(TensorRole::AttnO, L), randn({H, r.num_heads * head_dim}, 0.5 * h_scale));

      const double noise = layerNoise(r, L);
      const double renorm = 1.0 / std::sqrt(1.0 + noise * noise);  // keeps expert norms alike across layers
      const at::Tensor parent_gate = randn({I, H}, h_scale), parent_up = randn({I, H}, h_scale);
      const at::Tensor parent_down = randn({H, I}, i_scale);
      std::vector<at::Tensor> mean_gate_neurons;
      for (int e = 0; e < E; ++e) {
        const at::Tensor gate = (parent_gate + noise * randn({I, H}, h_scale)) * renorm;
        out.add(name(TensorRole::ExpertGate, L, e), gate);
        out.add(name(TensorRole::ExpertUp, L, e), (parent_up + noise * randn({I, H}, h_scale)) * renorm);
        out.add(name(TensorRole::ExpertDown, L, e), (parent_down + noise * randn({H, I}, i_scale)) * renorm);
        mean_gate_neurons.push_back(gate.mean(0));
      }
      // Router row e points along expert e's mean gate neuron (plus a little noise), scaled so
      // that router logits of a unit-RMS token have a spread of about 2.
      at::Tensor router = at::stack(mean_gate_neurons);
      router = router / router.norm(2, 1, true);
      router = router + 0.1 * randn({E, H}, h_scale);
      router = 2.0 * router / router.norm(2, 1, true);
      out.add(name(TensorRole::Router, L), router);
    }
    checkpoint::writeSafetensors(staging / "model.safetensors", out.sources(),
                                 {{"format", "pt"}, {"moescope_demo_recipe", std::to_string(kDemoRecipeVersion)}});
    writeConfig(staging / "config.json", r);

    for (const char* file : {"tokenizer.model", "tokenizer_config.json", "model.safetensors", "config.json"})
      moveInto(staging / file, dir / file);
    std::filesystem::remove_all(staging, ec);
  } catch (...) {
    std::filesystem::remove_all(staging, ec);
    throw;
  }
}

}  // namespace moescope::demo
