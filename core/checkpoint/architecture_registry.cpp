#include "core/checkpoint/architecture_registry.h"

#include <algorithm>

#include "core/checkpoint/family_config_fields.h"
#include "core/checkpoint/gguf_family_config.h"
#include "core/error.h"

namespace moescope::checkpoint {
namespace {

using Patterns = TensorPatterns;

constexpr std::size_t idx(TensorRole role) { return static_cast<std::size_t>(role); }

// Tensor names shared by the Llama lineage (Llama, Mistral, Mixtral, DeepSeekMoE, Qwen, OLMoE,
// Phi): embedding, norms and attention are named alike; the feed-forward part is what differs.
Patterns llamaLineage() {
  Patterns p{};
  p[idx(TensorRole::TokenEmbedding)] = "model.embed_tokens.weight";
  p[idx(TensorRole::FinalNorm)] = "model.norm.weight";
  p[idx(TensorRole::LmHead)] = "lm_head.weight";
  p[idx(TensorRole::AttnNorm)] = "model.layers.{L}.input_layernorm.weight";
  p[idx(TensorRole::FfnNorm)] = "model.layers.{L}.post_attention_layernorm.weight";
  p[idx(TensorRole::AttnQ)] = "model.layers.{L}.self_attn.q_proj.weight";
  p[idx(TensorRole::AttnK)] = "model.layers.{L}.self_attn.k_proj.weight";
  p[idx(TensorRole::AttnV)] = "model.layers.{L}.self_attn.v_proj.weight";
  p[idx(TensorRole::AttnO)] = "model.layers.{L}.self_attn.o_proj.weight";
  return p;
}

// Names of the biases a config may switch on; the spec decides whether they are read.
Patterns withAttentionBiases(Patterns p) {
  p[idx(TensorRole::AttnQBias)] = "model.layers.{L}.self_attn.q_proj.bias";
  p[idx(TensorRole::AttnKBias)] = "model.layers.{L}.self_attn.k_proj.bias";
  p[idx(TensorRole::AttnVBias)] = "model.layers.{L}.self_attn.v_proj.bias";
  p[idx(TensorRole::AttnOBias)] = "model.layers.{L}.self_attn.o_proj.bias";
  return p;
}

Patterns withQkNorms(Patterns p) {
  p[idx(TensorRole::AttnQNorm)] = "model.layers.{L}.self_attn.q_norm.weight";
  p[idx(TensorRole::AttnKNorm)] = "model.layers.{L}.self_attn.k_norm.weight";
  return p;
}

Patterns withLayerNormBiases(Patterns p) {
  p[idx(TensorRole::FinalNormBias)] = "model.norm.bias";
  p[idx(TensorRole::AttnNormBias)] = "model.layers.{L}.input_layernorm.bias";
  p[idx(TensorRole::FfnNormBias)] = "model.layers.{L}.post_attention_layernorm.bias";
  p[idx(TensorRole::LmHeadBias)] = "lm_head.bias";
  return p;
}

Patterns withDenseMlp(Patterns p) {
  p[idx(TensorRole::DenseGate)] = "model.layers.{L}.mlp.gate_proj.weight";
  p[idx(TensorRole::DenseUp)] = "model.layers.{L}.mlp.up_proj.weight";
  p[idx(TensorRole::DenseDown)] = "model.layers.{L}.mlp.down_proj.weight";
  return p;
}

// Mixtral and Phi-3.5-MoE: block_sparse_moe per expert; fused, transformers moves the experts
// (and the router, see fused_router_pattern) under "mlp".
Patterns withMixtralExperts(Patterns p) {
  p[idx(TensorRole::Router)] = "model.layers.{L}.block_sparse_moe.gate.weight";
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w1.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w3.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w2.weight";
  p[idx(TensorRole::ExpertsGateUpFused)] = "model.layers.{L}.mlp.experts.gate_up_proj";
  p[idx(TensorRole::ExpertsDownFused)] = "model.layers.{L}.mlp.experts.down_proj";
  return p;
}

// The "mlp" naming of DeepSeekMoE, Qwen-MoE and OLMoE, per-expert or fused as recent
// transformers versions save them.
Patterns withMlpExperts(Patterns p) {
  p[idx(TensorRole::Router)] = "model.layers.{L}.mlp.gate.weight";
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.mlp.experts.{E}.gate_proj.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.mlp.experts.{E}.up_proj.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.mlp.experts.{E}.down_proj.weight";
  p[idx(TensorRole::ExpertsGateUpFused)] = "model.layers.{L}.mlp.experts.gate_up_proj";
  p[idx(TensorRole::ExpertsDownFused)] = "model.layers.{L}.mlp.experts.down_proj";
  return p;
}

Patterns withDeepseekSharedExperts(Patterns p) {
  p[idx(TensorRole::SharedGate)] = "model.layers.{L}.mlp.shared_experts.gate_proj.weight";
  p[idx(TensorRole::SharedUp)] = "model.layers.{L}.mlp.shared_experts.up_proj.weight";
  p[idx(TensorRole::SharedDown)] = "model.layers.{L}.mlp.shared_experts.down_proj.weight";
  return p;
}

Patterns withQwenSharedExpert(Patterns p) {
  p[idx(TensorRole::SharedGate)] = "model.layers.{L}.mlp.shared_expert.gate_proj.weight";
  p[idx(TensorRole::SharedUp)] = "model.layers.{L}.mlp.shared_expert.up_proj.weight";
  p[idx(TensorRole::SharedDown)] = "model.layers.{L}.mlp.shared_expert.down_proj.weight";
  p[idx(TensorRole::SharedExpertGate)] = "model.layers.{L}.mlp.shared_expert_gate.weight";
  return p;
}

// DeepSeek-V2/V3: multi-head latent attention under the Llama lineage's norm names, the "mlp"
// experts with shared experts, and V3's selection bias beside the router.
Patterns deepseekLatentPatterns() {
  Patterns p = withDeepseekSharedExperts(withMlpExperts(withDenseMlp(llamaLineage())));
  p[idx(TensorRole::AttnK)] = {};
  p[idx(TensorRole::AttnV)] = {};
  p[idx(TensorRole::AttnQA)] = "model.layers.{L}.self_attn.q_a_proj.weight";
  p[idx(TensorRole::AttnQANorm)] = "model.layers.{L}.self_attn.q_a_layernorm.weight";
  p[idx(TensorRole::AttnQB)] = "model.layers.{L}.self_attn.q_b_proj.weight";
  p[idx(TensorRole::AttnKvA)] = "model.layers.{L}.self_attn.kv_a_proj_with_mqa.weight";
  p[idx(TensorRole::AttnKvANorm)] = "model.layers.{L}.self_attn.kv_a_layernorm.weight";
  p[idx(TensorRole::AttnKvB)] = "model.layers.{L}.self_attn.kv_b_proj.weight";
  p[idx(TensorRole::RouterCorrectionBias)] = "model.layers.{L}.mlp.gate.e_score_correction_bias";
  return p;
}

// GLM-4.5: the Llama lineage with q/k/v biases, per-head q/k norms, "mlp" experts with
// DeepSeek's shared experts and V3's selection bias beside the router.
Patterns glm4MoePatterns() {
  Patterns p = withDeepseekSharedExperts(withMlpExperts(withDenseMlp(withQkNorms(withAttentionBiases(llamaLineage())))));
  p[idx(TensorRole::AttnOBias)] = {};  // o_proj has no bias
  p[idx(TensorRole::RouterCorrectionBias)] = "model.layers.{L}.mlp.gate.e_score_correction_bias";
  return p;
}

// gpt-oss: the Llama lineage's names with biases on all four attention projections, the sinks
// beside them, a router with bias under mlp.router, and only fused experts (with their biases;
// MXFP4 checkpoints add "_blocks" and "_scales" to the two weight names).
Patterns gptOssPatterns() {
  Patterns p = withAttentionBiases(llamaLineage());
  p[idx(TensorRole::AttnSinks)] = "model.layers.{L}.self_attn.sinks";
  p[idx(TensorRole::Router)] = "model.layers.{L}.mlp.router.weight";
  p[idx(TensorRole::RouterBias)] = "model.layers.{L}.mlp.router.bias";
  p[idx(TensorRole::ExpertsGateUpFused)] = "model.layers.{L}.mlp.experts.gate_up_proj";
  p[idx(TensorRole::ExpertsDownFused)] = "model.layers.{L}.mlp.experts.down_proj";
  p[idx(TensorRole::ExpertsGateUpFusedBias)] = "model.layers.{L}.mlp.experts.gate_up_proj_bias";
  p[idx(TensorRole::ExpertsDownFusedBias)] = "model.layers.{L}.mlp.experts.down_proj_bias";
  // No gpt-oss checkpoint stores experts one by one; these are the names MoEScope gives the
  // slices of a GGUF file's stacked experts (the names of transformers' other families).
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.mlp.experts.{E}.gate_proj.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.mlp.experts.{E}.up_proj.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.mlp.experts.{E}.down_proj.weight";
  p[idx(TensorRole::ExpertGateBias)] = "model.layers.{L}.mlp.experts.{E}.gate_proj.bias";
  p[idx(TensorRole::ExpertUpBias)] = "model.layers.{L}.mlp.experts.{E}.up_proj.bias";
  p[idx(TensorRole::ExpertDownBias)] = "model.layers.{L}.mlp.experts.{E}.down_proj.bias";
  return p;
}

// Llama 4's text model: the Llama lineage's attention and norms, everything of the feed-forward
// under "feed_forward": the router, the fused experts, the shared expert and, in the dense
// layers, the MLP itself.
Patterns llama4Patterns() {
  Patterns p = withAttentionBiases(llamaLineage());
  p[idx(TensorRole::DenseGate)] = "model.layers.{L}.feed_forward.gate_proj.weight";
  p[idx(TensorRole::DenseUp)] = "model.layers.{L}.feed_forward.up_proj.weight";
  p[idx(TensorRole::DenseDown)] = "model.layers.{L}.feed_forward.down_proj.weight";
  p[idx(TensorRole::Router)] = "model.layers.{L}.feed_forward.router.weight";
  p[idx(TensorRole::ExpertsGateUpFused)] = "model.layers.{L}.feed_forward.experts.gate_up_proj";
  p[idx(TensorRole::ExpertsDownFused)] = "model.layers.{L}.feed_forward.experts.down_proj";
  // Names for the slices of a GGUF file's stacked experts (no Llama 4 checkpoint has them).
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.feed_forward.experts.{E}.gate_proj.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.feed_forward.experts.{E}.up_proj.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.feed_forward.experts.{E}.down_proj.weight";
  p[idx(TensorRole::SharedGate)] = "model.layers.{L}.feed_forward.shared_expert.gate_proj.weight";
  p[idx(TensorRole::SharedUp)] = "model.layers.{L}.feed_forward.shared_expert.up_proj.weight";
  p[idx(TensorRole::SharedDown)] = "model.layers.{L}.feed_forward.shared_expert.down_proj.weight";
  return p;
}

// Grok-1 as the Hugging Face port names it: RMSNorm weights are called "scale", four norms a
// layer, and the experts' gate / up / down are linear / linear_v / linear_1.
Patterns grok1Patterns() {
  Patterns p{};
  p[idx(TensorRole::TokenEmbedding)] = "model.embed_tokens.weight";
  p[idx(TensorRole::FinalNorm)] = "model.norm.scale";
  p[idx(TensorRole::LmHead)] = "lm_head.weight";
  p[idx(TensorRole::AttnNorm)] = "model.layers.{L}.pre_attn_norm.scale";
  p[idx(TensorRole::PostAttnNorm)] = "model.layers.{L}.post_attn_norm.scale";
  p[idx(TensorRole::FfnNorm)] = "model.layers.{L}.pre_moe_norm.scale";
  p[idx(TensorRole::PostFfnNorm)] = "model.layers.{L}.post_moe_norm.scale";
  p[idx(TensorRole::AttnQ)] = "model.layers.{L}.attn.q_proj.weight";
  p[idx(TensorRole::AttnK)] = "model.layers.{L}.attn.k_proj.weight";
  p[idx(TensorRole::AttnV)] = "model.layers.{L}.attn.v_proj.weight";
  p[idx(TensorRole::AttnO)] = "model.layers.{L}.attn.o_proj.weight";
  p[idx(TensorRole::Router)] = "model.layers.{L}.moe_block.gate.weight";
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.moe_block.experts.{E}.linear.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.moe_block.experts.{E}.linear_v.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.moe_block.experts.{E}.linear_1.weight";
  // No fused Grok-1 is published; the experts' fused form follows the other families' under
  // the port's own block name.
  p[idx(TensorRole::ExpertsGateUpFused)] = "model.layers.{L}.moe_block.experts.gate_up_proj";
  p[idx(TensorRole::ExpertsDownFused)] = "model.layers.{L}.moe_block.experts.down_proj";
  return p;
}

// llama.cpp's tensor names (src/llama-arch.cpp), the same for every architecture it gives a
// tensor of the kind; a family's GGUF layout picks the ones its files hold.
Patterns ggufLlamaLineage() {
  Patterns p{};
  p[idx(TensorRole::TokenEmbedding)] = "token_embd.weight";
  p[idx(TensorRole::FinalNorm)] = "output_norm.weight";
  p[idx(TensorRole::LmHead)] = "output.weight";
  p[idx(TensorRole::AttnNorm)] = "blk.{L}.attn_norm.weight";
  p[idx(TensorRole::FfnNorm)] = "blk.{L}.ffn_norm.weight";
  p[idx(TensorRole::AttnQ)] = "blk.{L}.attn_q.weight";
  p[idx(TensorRole::AttnK)] = "blk.{L}.attn_k.weight";
  p[idx(TensorRole::AttnV)] = "blk.{L}.attn_v.weight";
  p[idx(TensorRole::AttnO)] = "blk.{L}.attn_output.weight";
  p[idx(TensorRole::AttnQBias)] = "blk.{L}.attn_q.bias";
  p[idx(TensorRole::AttnKBias)] = "blk.{L}.attn_k.bias";
  p[idx(TensorRole::AttnVBias)] = "blk.{L}.attn_v.bias";
  p[idx(TensorRole::AttnOBias)] = "blk.{L}.attn_output.bias";
  p[idx(TensorRole::DenseGate)] = "blk.{L}.ffn_gate.weight";
  p[idx(TensorRole::DenseUp)] = "blk.{L}.ffn_up.weight";
  p[idx(TensorRole::DenseDown)] = "blk.{L}.ffn_down.weight";
  p[idx(TensorRole::Router)] = "blk.{L}.ffn_gate_inp.weight";
  p[idx(TensorRole::ExpertGate)] = "blk.{L}.ffn_gate_exps.weight";
  p[idx(TensorRole::ExpertUp)] = "blk.{L}.ffn_up_exps.weight";
  p[idx(TensorRole::ExpertDown)] = "blk.{L}.ffn_down_exps.weight";
  return p;
}

Patterns ggufWithQkNorms(Patterns p) {
  p[idx(TensorRole::AttnQNorm)] = "blk.{L}.attn_q_norm.weight";
  p[idx(TensorRole::AttnKNorm)] = "blk.{L}.attn_k_norm.weight";
  return p;
}

Patterns ggufWithSharedExpert(Patterns p) {
  p[idx(TensorRole::SharedGate)] = "blk.{L}.ffn_gate_shexp.weight";
  p[idx(TensorRole::SharedUp)] = "blk.{L}.ffn_up_shexp.weight";
  p[idx(TensorRole::SharedDown)] = "blk.{L}.ffn_down_shexp.weight";
  p[idx(TensorRole::SharedExpertGate)] = "blk.{L}.ffn_gate_inp_shexp.weight";
  return p;
}

// GLM-4.5: its feed-forward norm is llama.cpp's post_attention_norm (the architecture has no
// ffn_norm), the router's selection bias is exp_probs_b, the shared experts are shexp.
Patterns ggufGlm4Moe() {
  Patterns p = ggufWithSharedExpert(ggufWithQkNorms(ggufLlamaLineage()));
  p[idx(TensorRole::FfnNorm)] = "blk.{L}.post_attention_norm.weight";
  p[idx(TensorRole::RouterCorrectionBias)] = "blk.{L}.exp_probs_b.bias";
  return p;
}

// Grok: four norms a layer (attn_output_norm after attention, layer_output_norm after the
// experts as Grok-1's files name it), no dense feed-forward, tied embeddings.
Patterns ggufGrok() {
  Patterns p = ggufLlamaLineage();
  p[idx(TensorRole::PostAttnNorm)] = "blk.{L}.attn_output_norm.weight";
  p[idx(TensorRole::PostFfnNorm)] = "blk.{L}.layer_output_norm.weight";
  return p;
}

// DeepSeek-V2/V3 (deepseek2): latent attention under llama.cpp's names (attn_q when there is
// no q_lora_rank, as in V2-Lite), the selection bias exp_probs_b, shared experts as shexp.
Patterns ggufDeepseek2() {
  Patterns p = ggufWithSharedExpert(ggufLlamaLineage());
  for (TensorRole role : {TensorRole::AttnK, TensorRole::AttnV, TensorRole::AttnQBias, TensorRole::AttnKBias,
                          TensorRole::AttnVBias, TensorRole::AttnOBias, TensorRole::SharedExpertGate})
    p[idx(role)] = {};
  p[idx(TensorRole::AttnQA)] = "blk.{L}.attn_q_a.weight";
  p[idx(TensorRole::AttnQANorm)] = "blk.{L}.attn_q_a_norm.weight";
  p[idx(TensorRole::AttnQB)] = "blk.{L}.attn_q_b.weight";
  p[idx(TensorRole::AttnKvA)] = "blk.{L}.attn_kv_a_mqa.weight";
  p[idx(TensorRole::AttnKvANorm)] = "blk.{L}.attn_kv_a_norm.weight";
  p[idx(TensorRole::AttnKvB)] = "blk.{L}.attn_kv_b.weight";
  p[idx(TensorRole::RouterCorrectionBias)] = "blk.{L}.exp_probs_b.bias";
  return p;
}

// gpt-oss: post_attention_norm as the feed-forward norm (the architecture has no ffn_norm), the
// sinks, biases on the router and on each stacked expert projection (gate and up apart, as the
// converter de-interleaves them).
Patterns ggufGptOss() {
  Patterns p = ggufLlamaLineage();
  for (TensorRole role : {TensorRole::DenseGate, TensorRole::DenseUp, TensorRole::DenseDown}) p[idx(role)] = {};
  p[idx(TensorRole::FfnNorm)] = "blk.{L}.post_attention_norm.weight";
  p[idx(TensorRole::AttnSinks)] = "blk.{L}.attn_sinks.weight";
  p[idx(TensorRole::RouterBias)] = "blk.{L}.ffn_gate_inp.bias";
  p[idx(TensorRole::ExpertGateBias)] = "blk.{L}.ffn_gate_exps.bias";
  p[idx(TensorRole::ExpertUpBias)] = "blk.{L}.ffn_up_exps.bias";
  p[idx(TensorRole::ExpertDownBias)] = "blk.{L}.ffn_down_exps.bias";
  return p;
}

// Llama 4: the shared expert as shexp (no gate of its own), no biases.
Patterns ggufLlama4() {
  Patterns p = ggufWithSharedExpert(ggufLlamaLineage());
  for (TensorRole role : {TensorRole::SharedExpertGate, TensorRole::AttnQBias, TensorRole::AttnKBias,
                          TensorRole::AttnVBias, TensorRole::AttnOBias})
    p[idx(role)] = {};
  return p;
}

// What llama.cpp's deepseek2 metadata states beyond the common keys, for V2 and V3 alike.
const std::vector<std::pair<std::string_view, std::string_view>>& deepseek2ConfigKeys() {
  static const std::vector<std::pair<std::string_view, std::string_view>> keys = {
      {"expert_feed_forward_length", "moe_intermediate_size"},
      {"expert_shared_count", "n_shared_experts"},
      {"leading_dense_block_count", "first_k_dense_replace"},
      {"expert_weights_scale", "routed_scaling_factor"},
      {"expert_weights_norm", "norm_topk_prob"},
      {"expert_group_count", "n_group"},
      {"expert_group_used_count", "topk_group"},
      {"attention.q_lora_rank", "q_lora_rank"},
      {"attention.kv_lora_rank", "kv_lora_rank"}};
  return keys;
}

Patterns ggufWithLayerNormBiases(Patterns p) {
  p[idx(TensorRole::FinalNormBias)] = "output_norm.bias";
  p[idx(TensorRole::AttnNormBias)] = "blk.{L}.attn_norm.bias";
  p[idx(TensorRole::FfnNormBias)] = "blk.{L}.ffn_norm.bias";
  p[idx(TensorRole::LmHeadBias)] = "output.bias";
  return p;
}

std::vector<ArchitectureInfo> buildTable() {
  std::vector<ArchitectureInfo> table;
  table.push_back({.family = Family::Mixtral,
                   .name = "mixtral",
                   .hf_architectures = {"MixtralForCausalLM"},
                   .model_types = {"mixtral"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopKRenormalized,
                   .tensor_patterns = withMixtralExperts(llamaLineage()),
                   .fused_router_pattern = "model.layers.{L}.mlp.gate.weight",
                   .expert_count_keys = {"num_local_experts", "num_experts"},
                   .top_k_keys = {"num_experts_per_tok", "num_experts_per_token"},
                   .gguf = {.architecture = "llama", .tensor_patterns = ggufLlamaLineage(), .rope_rows_interleaved = true}});
  table.push_back({.family = Family::Mistral,
                   .name = "mistral",
                   .hf_architectures = {"MistralForCausalLM"},
                   .model_types = {"mistral"},
                   .tensor_patterns = withDenseMlp(llamaLineage())});
  table.push_back({.family = Family::Llama,
                   .name = "llama",
                   .hf_architectures = {"LlamaForCausalLM"},
                   .model_types = {"llama"},
                   .tensor_patterns = withDenseMlp(llamaLineage()),
                   .gguf = {.architecture = "llama", .tensor_patterns = ggufLlamaLineage(), .rope_rows_interleaved = true}});
  table.push_back({.family = Family::DeepseekMoe,
                   .name = "deepseek",
                   .hf_architectures = {"DeepseekForCausalLM"},
                   .model_types = {"deepseek"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopK,
                   .router_softmax_float32 = false,
                   .head_dim_from_config = false,
                   .tensor_patterns = withDeepseekSharedExperts(
                       withMlpExperts(withDenseMlp(withAttentionBiases(llamaLineage())))),
                   .expert_count_keys = {"n_routed_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readDeepseekMoeFields,
                   .gguf = {.architecture = "deepseek",
                            .tensor_patterns = ggufWithSharedExpert(ggufLlamaLineage()),
                            .rope_rows_interleaved = true,
                            .config_keys = {{"expert_feed_forward_length", "moe_intermediate_size"},
                                            {"expert_shared_count", "n_shared_experts"},
                                            {"leading_dense_block_count", "first_k_dense_replace"},
                                            {"expert_weights_norm", "norm_topk_prob"}}}});
  table.push_back({.family = Family::DeepseekV2,
                   .name = "deepseek_v2",
                   .hf_architectures = {"DeepseekV2ForCausalLM"},
                   .model_types = {"deepseek_v2"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::GroupLimitedSoftmaxTopK,
                   .attention = AttentionKind::Latent,
                   .mixes_experts_in_float32 = true,
                   .head_dim_from_config = false,
                   .tensor_patterns = deepseekLatentPatterns(),
                   .expert_count_keys = {"n_routed_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readDeepseekV2Fields,
                   // Softmax gating: expert_gating_func 1, or absent (llama.cpp's default for
                   // deepseek2; its files before the key were all V2).
                   .gguf = {.architecture = "deepseek2",
                            .tensor_patterns = ggufDeepseek2(),
                            .config_keys = deepseek2ConfigKeys(),
                            .config_constants = {{"scoring_func", "\"softmax\""}},
                            .split_kv_b_patterns = {"blk.{L}.attn_k_b.weight", "blk.{L}.attn_v_b.weight"},
                            .selected_by = GgufLayout::Selector{"expert_gating_func", {0, 1}, true},
                            .complete_config = completeLatentAttentionConfig}});
  table.push_back({.family = Family::DeepseekV3,
                   .name = "deepseek_v3",
                   .hf_architectures = {"DeepseekV3ForCausalLM"},
                   // Kimi K2 is DeepSeek-V3's architecture under a model_type of its own.
                   .model_types = {"deepseek_v3", "kimi_k2"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SigmoidGroupTopK,
                   .attention = AttentionKind::Latent,
                   .mixes_experts_in_float32 = true,
                   .head_dim_from_config = false,
                   .tensor_patterns = deepseekLatentPatterns(),
                   .expert_count_keys = {"n_routed_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readDeepseekV3Fields,
                   // Sigmoid gating (expert_gating_func 2): V3, R1, Kimi K2.
                   .gguf = {.architecture = "deepseek2",
                            .tensor_patterns = ggufDeepseek2(),
                            .config_keys = deepseek2ConfigKeys(),
                            .config_constants = {{"scoring_func", "\"sigmoid\""}, {"topk_method", "\"noaux_tc\""}},
                            .split_kv_b_patterns = {"blk.{L}.attn_k_b.weight", "blk.{L}.attn_v_b.weight"},
                            .selected_by = GgufLayout::Selector{"expert_gating_func", {2}, false},
                            .complete_config = completeLatentAttentionConfig}});
  table.push_back({.family = Family::Grok1,
                   .name = "grok-1",
                   .hf_architectures = {"Grok1ModelForCausalLM", "Grok1ForCausalLM"},
                   .model_types = {"grok-1"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopK,
                   .default_activation = Activation::GELU,
                   .norm = NormKind::RmsNormScaleInFloat32,
                   .post_block_norms = true,
                   .head_dim_from_config = false,
                   .tensor_patterns = grok1Patterns(),
                   .expert_count_keys = {"num_experts", "num_local_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readGrok1Fields,
                   .gguf = {.architecture = "grok",
                            .tensor_patterns = ggufGrok(),
                            .config_keys = {{"attention.output_scale", "attn_output_multiplier"},
                                            {"attn_logit_softcapping", "max_attn_value"},
                                            {"embedding_scale", "embedding_multiplier_scale"},
                                            {"logit_scale", "output_multiplier_scale"}},
                            // Converted from Grok-2-style names (post_moe_norm), the norm after the
                            // experts is post_ffw_norm.
                            .alternate_patterns = {{TensorRole::PostFfnNorm, "blk.{L}.post_ffw_norm.weight"}}}});
  table.push_back({.family = Family::Qwen2Moe,
                   .name = "qwen2_moe",
                   .hf_architectures = {"Qwen2MoeForCausalLM"},
                   .model_types = {"qwen2_moe"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopK,
                   .tensor_patterns = withQwenSharedExpert(
                       withMlpExperts(withDenseMlp(withAttentionBiases(llamaLineage())))),
                   .expert_count_keys = {"num_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readQwen2MoeFields,
                   .gguf = {.architecture = "qwen2moe",
                            .tensor_patterns = ggufWithSharedExpert(ggufLlamaLineage()),
                            .config_keys = {{"expert_feed_forward_length", "moe_intermediate_size"},
                                            {"expert_shared_feed_forward_length", "shared_expert_intermediate_size"}}}});
  table.push_back({.family = Family::Qwen3Moe,
                   .name = "qwen3_moe",
                   .hf_architectures = {"Qwen3MoeForCausalLM"},
                   .model_types = {"qwen3_moe"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopK,
                   .tensor_patterns = withMlpExperts(withDenseMlp(withQkNorms(withAttentionBiases(llamaLineage())))),
                   .expert_count_keys = {"num_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readQwen3MoeFields,
                   .gguf = {.architecture = "qwen3moe",
                            .tensor_patterns = ggufWithQkNorms(ggufLlamaLineage()),
                            .config_keys = {{"expert_feed_forward_length", "moe_intermediate_size"},
                                            {"attention.key_length", "head_dim"}},
                            // llama.cpp's qwen3moe graph always renormalises the top-k weights.
                            .config_constants = {{"norm_topk_prob", "true"}}}});
  table.push_back({.family = Family::Olmoe,
                   .name = "olmoe",
                   .hf_architectures = {"OlmoeForCausalLM"},
                   .model_types = {"olmoe"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopK,
                   .head_dim_from_config = false,
                   .tensor_patterns = withMlpExperts(withQkNorms(withAttentionBiases(llamaLineage()))),
                   .expert_count_keys = {"num_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readOlmoeFields,
                   .gguf = {.architecture = "olmoe",
                            .tensor_patterns = ggufWithQkNorms(ggufLlamaLineage()),
                            .config_keys = {{"attention.clamp_kqv", "clip_qkv"}}}});
  table.push_back({.family = Family::PhiMoe,
                   .name = "phimoe",
                   .hf_architectures = {"PhimoeForCausalLM", "PhiMoEForCausalLM"},
                   .model_types = {"phimoe"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SparseMixer,
                   .norm = NormKind::LayerNorm,
                   .head_dim_from_config = false,
                   .tensor_patterns = withMixtralExperts(withLayerNormBiases(withAttentionBiases(llamaLineage()))),
                   .fused_router_pattern = "model.layers.{L}.mlp.router.weight",
                   .expert_count_keys = {"num_local_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readPhiMoeFields,
                   .gguf = {.architecture = "phimoe",
                            .tensor_patterns = ggufWithLayerNormBiases(ggufLlamaLineage())}});
  table.push_back({.family = Family::Glm4Moe,
                   .name = "glm4_moe",
                   .hf_architectures = {"Glm4MoeForCausalLM"},
                   .model_types = {"glm4_moe"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SigmoidGroupTopK,
                   // Glm4MoeMoE.moe accumulates the weighted experts in the weights' float32.
                   .mixes_experts_in_float32 = true,
                   .tensor_patterns = glm4MoePatterns(),
                   .expert_count_keys = {"n_routed_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readGlm4MoeFields,
                   .gguf = {.architecture = "glm4moe",
                            .tensor_patterns = ggufGlm4Moe(),
                            .config_keys = {{"expert_feed_forward_length", "moe_intermediate_size"},
                                            {"expert_shared_count", "n_shared_experts"},
                                            {"leading_dense_block_count", "first_k_dense_replace"},
                                            {"expert_weights_scale", "routed_scaling_factor"},
                                            {"expert_weights_norm", "norm_topk_prob"},
                                            {"expert_group_count", "n_group"},
                                            {"expert_group_used_count", "topk_group"},
                                            {"attention.key_length", "head_dim"},
                                            {"nextn_predict_layers", "num_nextn_predict_layers"}}}});
  table.push_back({.family = Family::GptOss,
                   .name = "gpt_oss",
                   .hf_architectures = {"GptOssForCausalLM"},
                   .model_types = {"gpt_oss"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::TopKSoftmax,
                   // GptOssRMSNorm multiplies by its weight in float32, then casts back.
                   .norm = NormKind::RmsNormScaleInFloat32,
                   .tensor_patterns = gptOssPatterns(),
                   .interleaved_gate_up = true,
                   .experts_fused_only = true,
                   .expert_count_keys = {"num_local_experts"},
                   .top_k_keys = {"num_experts_per_tok", "experts_per_token"},
                   .read_family_fields = readGptOssFields,
                   // llama.cpp fixes the clamp at 7 and alternates windowed and full layers from
                   // layer 0, GptOssConfig's defaults; transformers' YaRN for gpt-oss does not
                   // round the ramp's ends, llama.cpp's kernel does: MoEScope computes the former.
                   .gguf = {.architecture = "gpt-oss",
                            .tensor_patterns = ggufGptOss(),
                            .config_keys = {{"attention.key_length", "head_dim"}},
                            .config_constants = {{"rope_scaling.truncate", "false"}}}});
  table.push_back({.family = Family::Llama4,
                   .name = "llama4",
                   .hf_architectures = {"Llama4ForConditionalGeneration", "Llama4ForCausalLM"},
                   .model_types = {"llama4", "llama4_text"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::TopKSigmoid,
                   .tensor_patterns = llama4Patterns(),
                   .experts_fused_only = true,
                   .nested_config_key = "text_config",
                   // Meta's multimodal release, and transformers' later saves of the same class.
                   .name_prefixes = {{"", "language_model."}, {"model.", "model.language_model."}},
                   .expert_count_keys = {"num_local_experts"},
                   .top_k_keys = {"num_experts_per_tok"},
                   .read_family_fields = readLlama4Fields,
                   // feed_forward_length is the dense layers' width (intermediate_size_mlp);
                   // llama3 scaling comes as rope_freqs; q/k rows are not reordered.
                   .gguf = {.architecture = "llama4",
                            .tensor_patterns = ggufLlama4(),
                            .config_keys = {{"expert_feed_forward_length", "intermediate_size"},
                                            {"feed_forward_length", "intermediate_size_mlp"},
                                            {"interleave_moe_layer_step", "interleave_moe_layer_step"},
                                            {"attention.key_length", "head_dim"}},
                            .complete_config = completeLlama4Config}});
  return table;
}

bool contains(const std::vector<std::string_view>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A dense family whose early MoE ports kept its model_type but declared experts; the MoE
// family with the same tensor layout takes such configs.
const ArchitectureInfo* moeCounterpart(const ArchitectureInfo& dense) {
  if (dense.family == Family::Mistral) return &architectureInfo(Family::Mixtral);
  return nullptr;
}

}  // namespace

std::string_view tensorRoleName(TensorRole role) {
  static constexpr std::array<std::string_view, kTensorRoleCount> kNames = {
      "token embedding", "final norm", "final norm bias", "lm head", "lm head bias", "attention norm",
      "attention norm bias", "feed-forward norm", "feed-forward norm bias", "post-attention norm",
      "post-feed-forward norm", "attention q", "attention k", "attention v", "attention output",
      "attention q bias", "attention k bias", "attention v bias", "attention output bias", "attention q norm",
      "attention k norm", "router", "expert gate projection", "expert up projection", "expert down projection",
      "fused experts gate/up projection", "fused experts down projection", "shared expert gate projection",
      "shared expert up projection", "shared expert down projection", "shared expert gate", "dense gate projection",
      "dense up projection", "dense down projection", "attention q down-projection (q_a_proj)",
      "attention q low-rank norm", "attention q up-projection (q_b_proj)", "attention kv down-projection",
      "attention kv low-rank norm", "attention kv up-projection", "router score correction bias", "router bias",
      "fused experts gate/up bias", "fused experts down bias", "attention sinks", "expert gate projection bias",
      "expert up projection bias", "expert down projection bias"};
  return kNames[idx(role)];
}

const std::vector<ArchitectureInfo>& architectureTable() {
  static const std::vector<ArchitectureInfo> table = buildTable();
  return table;
}

const ArchitectureInfo& architectureInfo(Family family) {
  for (const auto& row : architectureTable())
    if (row.family == family) return row;
  throw Error(ErrorCategory::UnsupportedArchitecture,
              "MoEScope cannot run this model family yet; supported: " + supportedArchitecturesList());
}

const ArchitectureInfo& resolveArchitecture(std::string_view architecture, std::string_view model_type,
                                            bool declares_experts) {
  const ArchitectureInfo* found = nullptr;
  if (!architecture.empty())
    for (const auto& row : architectureTable())
      if (contains(row.hf_architectures, architecture)) found = &row;
  if (!found)
    for (const auto& row : architectureTable())
      if (contains(row.model_types, model_type)) found = &row;
  if (!found) {
    throw Error(ErrorCategory::UnsupportedArchitecture,
                "unsupported architecture \"" + std::string(architecture.empty() ? model_type : architecture) +
                    "\" (model_type \"" + std::string(model_type) +
                    "\"); supported: " + supportedArchitecturesList());
  }
  if (!found->mixture_of_experts && declares_experts) {
    if (const ArchitectureInfo* moe = moeCounterpart(*found)) return *moe;
  }
  return *found;
}

std::string tensorName(const ArchitectureInfo& arch, TensorRole role, int layer, int expert, bool fused_experts) {
  const bool renamed_router = fused_experts && role == TensorRole::Router && !arch.fused_router_pattern.empty();
  std::string name(renamed_router ? arch.fused_router_pattern : arch.tensor_patterns[idx(role)]);
  if (name.empty()) {
    throw Error(ErrorCategory::Internal, std::string(arch.name) + " has no " +
                                             std::string(tensorRoleName(role)) + " tensor");
  }
  auto substitute = [&name](std::string_view key, int value) {
    const auto at = name.find(key);
    if (at != std::string::npos) name.replace(at, key.size(), std::to_string(value));
  };
  substitute("{L}", layer);
  substitute("{E}", expert);
  return name;
}

std::string supportedArchitecturesList() {
  std::string list;
  for (const auto& row : architectureTable()) {
    if (!list.empty()) list += ", ";
    list += std::string(row.name) + " (" + std::string(row.hf_architectures.front()) + ")";
  }
  return list;
}

const ArchitectureInfo& resolveGgufArchitecture(std::string_view gguf_architecture, bool declares_experts,
                                                const std::function<std::optional<int64_t>(std::string_view)>& integer_key) {
  const ArchitectureInfo* found = nullptr;
  const GgufLayout::Selector* unmatched = nullptr;
  std::optional<int64_t> unmatched_value;
  for (const auto& row : architectureTable()) {
    if (row.gguf.architecture != gguf_architecture) continue;
    if (const auto& selector = row.gguf.selected_by) {
      const std::optional<int64_t> value = integer_key ? integer_key(selector->key) : std::nullopt;
      const bool applies = value ? std::find(selector->values.begin(), selector->values.end(), *value) !=
                                       selector->values.end()
                                 : selector->when_absent;
      if (!applies) {
        unmatched = &*selector;
        unmatched_value = value;
        continue;
      }
    }
    // "llama" holds Llama and Mistral (dense) and Mixtral (with experts); the MoE row wins
    // when the file declares experts, the first dense one otherwise.
    if (row.mixture_of_experts == declares_experts || !found) found = &row;
    if (row.mixture_of_experts == declares_experts) break;
  }
  if (!found && unmatched)
    throw Error(ErrorCategory::UnsupportedArchitecture,
                "GGUF architecture \"" + std::string(gguf_architecture) + "\" with " + std::string(gguf_architecture) +
                    "." + std::string(unmatched->key) + " " +
                    (unmatched_value ? std::to_string(*unmatched_value) : std::string("absent")) +
                    " is not one MoEScope knows");
  if (!found)
    throw Error(ErrorCategory::UnsupportedArchitecture,
                "GGUF architecture \"" + std::string(gguf_architecture) +
                    "\" is not one MoEScope knows; it analyses GGUF files of " + supportedGgufArchitecturesList());
  if (!found->gguf.analysable())
    throw Error(ErrorCategory::UnsupportedArchitecture,
                "GGUF files of architecture \"" + std::string(gguf_architecture) + "\" (" + std::string(found->name) +
                    ") cannot be analysed yet; open the model's Hugging Face folder instead. MoEScope analyses "
                    "GGUF files of " + supportedGgufArchitecturesList());
  return *found;
}

std::string ggufTensorName(const ArchitectureInfo& arch, TensorRole role, int layer, int alternate) {
  std::string name(arch.gguf.tensor_patterns[idx(role)]);
  if (alternate >= 0) {
    name.clear();
    int seen = 0;
    for (const auto& [alternate_role, pattern] : arch.gguf.alternate_patterns)
      if (alternate_role == role && seen++ == alternate) name = pattern;
    if (name.empty()) return {};
  }
  if (name.empty())
    throw Error(ErrorCategory::Internal, std::string(arch.name) + " GGUF files have no " +
                                             std::string(tensorRoleName(role)) + " tensor");
  if (const auto at = name.find("{L}"); at != std::string::npos) name.replace(at, 3, std::to_string(layer));
  return name;
}

std::array<std::string, 2> ggufSplitKvBNames(const ArchitectureInfo& arch, int layer) {
  std::array<std::string, 2> names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    names[i] = arch.gguf.split_kv_b_patterns[i];
    if (const auto at = names[i].find("{L}"); at != std::string::npos) names[i].replace(at, 3, std::to_string(layer));
  }
  return names;
}

std::string supportedGgufArchitecturesList() {
  // "deepseek2 (deepseek_v2, deepseek_v3)": one entry per GGUF architecture.
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> entries;
  for (const auto& row : architectureTable()) {
    if (!row.gguf.analysable() || !row.mixture_of_experts) continue;
    auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == row.gguf.architecture; });
    if (it == entries.end()) it = entries.insert(entries.end(), {row.gguf.architecture, {}});
    if (row.gguf.architecture != row.name) it->second.push_back(row.name);
  }
  std::string list;
  for (const auto& [architecture, families] : entries) {
    if (!list.empty()) list += ", ";
    list += std::string(architecture);
    for (std::size_t i = 0; i < families.size(); ++i) list += (i == 0 ? " (" : ", ") + std::string(families[i]);
    if (!families.empty()) list += ")";
  }
  return list;
}

}  // namespace moescope::checkpoint
