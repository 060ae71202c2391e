#pragma once
// What MoEScope needs to know about a model, read from config.json through the
// architecture registry. Plain data: the GUI and the CLI show it, the engine runs it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace moescope::checkpoint {

enum class Family { Llama, Mistral, Mixtral };

enum class Activation { SiLU, GELU, GELUTanh };

// How router logits become the experts a token uses and their mixing weights.
enum class RoutingRule {
  None,                 // a dense model
  SoftmaxTopK,          // softmax over all experts, top-k, weights used as they are
  SoftmaxTopKRenormalized,  // softmax over all experts, top-k, weights renormalised to sum 1 (Mixtral)
};

enum class LayerKind { Dense, Moe };

// Rotary embedding frequency scaling (config.json "rope_scaling").
struct RopeScaling {
  enum class Kind { None, Linear, Llama3 } kind = Kind::None;
  double factor = 1.0;
  double low_freq_factor = 1.0;   // llama3
  double high_freq_factor = 4.0;  // llama3
  int64_t original_max_position_embeddings = 8192;  // llama3
};

struct ModelSpec {
  Family family = Family::Llama;
  std::string family_name;   // registry name, e.g. "mixtral"
  std::string model_type;    // config.json's model_type as written
  std::string architecture;  // config.json's architectures[0] as written (may be empty)

  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;         // dense feed-forward width (dense layers, reference models)
  int64_t expert_intermediate_size = 0;  // width of one routed expert (0 for dense models)
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;

  int64_t num_experts = 0;  // routed experts per MoE layer; 0 for dense models
  int64_t top_k = 0;
  RoutingRule routing = RoutingRule::None;

  Activation activation = Activation::SiLU;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  RopeScaling rope_scaling;
  std::optional<int64_t> sliding_window;  // attend to at most this many previous positions
  int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::string torch_dtype;  // as declared in config.json ("bfloat16", ...)
  std::optional<int64_t> bos_token_id;
  std::optional<int64_t> eos_token_id;

  std::vector<LayerKind> layer_kinds;  // one entry per decoder layer

  bool isMoe() const { return num_experts > 0; }
  int64_t moeLayerCount() const;
};

std::string familyDisplayName(Family family);
std::string routingRuleDescription(RoutingRule rule);
std::string activationName(Activation activation);

}  // namespace moescope::checkpoint
