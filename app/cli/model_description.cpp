#include "app/cli/model_description.h"

#include "core/error.h"
#include "core/pipeline/analysis_selection.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::cli {
namespace {

// The indices of the layers `marked` holds for.
template <class Marked>
nlohmann::ordered_json layersWhere(const checkpoint::ModelSpec& s, Marked marked) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (int64_t layer = 0; layer < s.num_layers; ++layer)
    if (marked(layer)) layers.push_back(layer);
  return layers;
}

// The layers that attend within the sliding window: null without a window.
nlohmann::ordered_json windowedLayers(const checkpoint::ModelSpec& s) {
  if (!s.sliding_window) return nullptr;
  return layersWhere(s, [&](int64_t layer) { return s.slidingWindowAt(layer).has_value(); });
}

}  // namespace

nlohmann::ordered_json describeModel(const checkpoint::Model& model) {
  const auto& s = model.spec;
  const auto counts = checkpoint::countParameters(model);
  nlohmann::ordered_json tokenizer = nullptr;
  try {
    tokenizer = tokenizer::loadTokenizer(model.dir)->describe();
  } catch (const Error&) {
    // A folder without a usable tokenizer is still inspectable; route works with --ids.
  }
  return {
      {"model", model.dir.string()},
      {"format", model.format},
      {"family", s.family_name},
      {"architecture", s.architecture},
      {"model_type", s.model_type},
      {"layers", s.num_layers},
      {"moe_layers", s.moeLayerCount()},
      {"dense_layers", s.num_layers - s.moeLayerCount()},
      // Which layers: what --layers ranges for shards are cut from.
      {"moe_layer_indices", pipeline::selectedMoeLayers("", s)},
      {"experts", s.num_experts},
      {"top_k", s.top_k},
      {"routing", checkpoint::routingRuleDescription(s.routing)},
      {"shared_experts", s.shared_expert.present()
                             ? nlohmann::ordered_json{{"count", s.shared_expert.count},
                                                      {"intermediate_size", s.shared_expert.intermediate_size},
                                                      {"description", checkpoint::sharedExpertDescription(s.shared_expert)}}
                             : nlohmann::ordered_json()},
      {"expert_layout", s.isMoe() ? nlohmann::ordered_json(checkpoint::expertLayoutName(model.expert_layout))
                                  : nlohmann::ordered_json()},
      {"expert_groups", s.usesExpertGroups()
                            ? nlohmann::ordered_json{{"n_group", s.expert_groups.n_group},
                                                     {"topk_group", s.expert_groups.topk_group},
                                                     {"routed_scaling_factor", s.routed_scaling_factor},
                                                     {"norm_topk_prob", s.norm_topk_prob}}
                            : nlohmann::ordered_json()},
      {"attention", checkpoint::attentionKindName(s.attention.kind)},
      {"fp8_block_weights", s.fp8_block_weights},
      {"norm", checkpoint::normKindName(s.norm)},
      {"hidden_size", s.hidden_size},
      {"intermediate_size", s.intermediate_size},
      {"expert_intermediate_size", s.expert_intermediate_size},
      {"attention_heads", s.num_heads},
      {"kv_heads", s.num_kv_heads},
      {"head_dim", s.head_dim},
      {"rotary_dim", s.rotaryDim()},
      {"sliding_window", s.sliding_window ? nlohmann::ordered_json(*s.sliding_window) : nlohmann::ordered_json()},
      {"sliding_window_layers", windowedLayers(s)},
      {"attention_chunk_size", s.attention_chunk_size ? nlohmann::ordered_json(*s.attention_chunk_size) : nlohmann::ordered_json()},
      {"chunked_attention_layers", s.attention_chunk_size ? layersWhere(s, [&](int64_t layer) { return s.attentionChunkAt(layer).has_value(); })
                                                          : nlohmann::ordered_json()},
      {"rotary_layers", layersWhere(s, [&](int64_t layer) { return s.usesRotaryAt(layer); })},
      {"attention_sinks", s.attention.sinks},
      {"activation", checkpoint::activationName(s.activation)},
      {"vocab_size", s.vocab_size},
      {"dtype", checkpoint::dominantStoredDType(model)},
      {"config_dtype", s.torch_dtype},
      {"quantisation", model.quantisation.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(model.quantisation)},
      {"parameters",
       {{"total", counts.total}, {"active_per_token", counts.active_per_token}, {"experts", counts.expert}}},
      {"tokenizer", tokenizer},
  };
}

}  // namespace moescope::cli
