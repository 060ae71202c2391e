#pragma once
// Private: the tensors of one decoder layer on the compute device. Loading one layer at a
// time, and dropping it before the next, is what keeps peak memory near one layer.
#include <array>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "core/checkpoint/model_folder.h"
#include "core/engine/latent_attention.h"

namespace moescope::engine {

struct FeedForwardWeights {
  FeedForwardWeights() = default;
  // The three matrices without biases, as every family but gpt-oss has them.
  FeedForwardWeights(at::Tensor gate_matrix, at::Tensor up_matrix, at::Tensor down_matrix)
      : gate(std::move(gate_matrix)), up(std::move(up_matrix)), down(std::move(down_matrix)) {}

  at::Tensor gate, up, down;  // [I, H], [I, H], [H, I]
  at::Tensor gate_bias, up_bias, down_bias;  // [I], [I], [H] (gpt-oss's experts); undefined elsewhere
};

// A norm's weight ("scale" in Grok-1) and, for LayerNorm, its bias (undefined otherwise).
struct NormWeights {
  at::Tensor weight, bias;
};

struct LayerWeights {
  int layer = 0;
  NormWeights attn_norm, ffn_norm;
  at::Tensor post_attn_norm, post_ffn_norm;  // [H], families with post-block norms (Grok-1)
  at::Tensor q, k, v, o;
  at::Tensor q_bias, k_bias, v_bias, o_bias;  // undefined where the family has none
  at::Tensor q_norm, k_norm;                  // undefined without q/k norms
  at::Tensor sinks;                           // [heads], attention sinks (gpt-oss)
  LatentAttentionWeights latent;              // latent attention (DeepSeek-V2/V3); q..v unused then
  at::Tensor router;         // [E, H] (MoE layers), compute device and dtype
  at::Tensor router_bias;    // [E] float32, DeepSeek-V3's e_score_correction_bias (selection only)
  at::Tensor router_logit_bias;  // [E], the router's own bias added to its logits (gpt-oss)
  // [E, 2I] and [E, H] on the compute device: the fused experts' biases (gpt-oss).
  at::Tensor experts_gate_up_bias, experts_down_bias;
  // Or each expert's own biases {gate [I], up [I], down [H]} (GGUF gpt-oss); empty otherwise.
  std::vector<std::array<at::Tensor, 3>> expert_biases;
  FeedForwardWeights dense;  // dense layers
  bool moe = false;

  // The shared expert block of a MoE layer (DeepSeekMoE, Qwen2-MoE) on the compute device, and
  // the same tensors as zero-copy views in their stored dtype for the weight analyses.
  FeedForwardWeights shared, shared_view;
  at::Tensor shared_gate;  // [1, H], Qwen2-MoE's sigmoid gate of the shared expert
  bool hasSharedExpert() const { return shared.gate.defined(); }

  // Experts stay zero-copy CPU views of the mapped file in their stored dtype until used:
  // converting one expert at a time keeps peak memory near one expert, not eight. Fused
  // checkpoints give each expert slices (still views) of the layer's fused tensors.
  std::vector<FeedForwardWeights> expert_views;
  // Experts whose stored form has no view to compute with: FP8 checkpoints (DeepSeek-V3, with
  // a block scale tensor beside each weight) and quantised GGUF files (ggml blocks, or q/k rows
  // to reorder). expert_views stay undefined; each expert is decoded when used, one at a time.
  struct EncodedMatrix {
    const checkpoint::TensorInfo* weight = nullptr;
    const checkpoint::TensorInfo* scale_inv = nullptr;  // FP8 only
  };
  std::vector<std::array<EncodedMatrix, 3>> encoded_experts;  // gate, up, down; empty unless encoded
  // MXFP4 checkpoints (gpt-oss): the fused gate/up and down matrices of all experts, packed;
  // each expert is decoded when used. Null unless MXFP4.
  struct Mxfp4Matrix {
    const checkpoint::TensorInfo* blocks = nullptr;
    const checkpoint::TensorInfo* scales = nullptr;
  };
  Mxfp4Matrix mxfp4_gate_up, mxfp4_down;
  bool interleaved_gate_up = false;  // the fused gate/up alternates gate and up rows (gpt-oss)
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  const checkpoint::Model* model = nullptr;

  // Expert e for the compute device and dtype: the stored tensors when they already match
  // (float32 weights computed in float32 on the CPU) or when the feed-forward converts them block
  // by block as it goes (16-bit views on the CPU, see converting_linear.h); else copies in
  // buffers this thread reuses, valid until the next call of expert() (see converted_copy.h).
  FeedForwardWeights expert(int e) const;
  // Expert e as the weight analyses read it: the zero-copy stored-dtype views, or for FP8 and
  // GGUF-quantised experts the dequantised weights in float32 on the CPU, or for MXFP4 experts the decoded
  // weights in bfloat16 (which holds every MXFP4 value exactly) on the CPU. No biases.
  FeedForwardWeights storedExpert(int e) const;
  // The router as the weight analyses read it (S4, the routers' drift between two models),
  // whatever the compute dtype: its stored values (FP8 and GGUF blocks decoded) in float32 on
  // the CPU; `router` itself where that is what it holds, else read when asked for.
  at::Tensor storedRouter() const;

 private:
  FeedForwardWeights expertMatrices(int e) const;  // expert(e) without its biases

 public:
  int64_t expertCount() const { return static_cast<int64_t>(expert_views.size()); }
};

// What loadLayerWeights reads of a MoE layer: everything the forward pass needs, or the router
// and the experts alone (a dense layer is always read whole).
enum class LayerParts { All, ExpertsAndRouter };

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype, LayerParts parts = LayerParts::All);

// Bytes of every tensor the layer reads (FP8 scales included).
std::uint64_t layerBytes(const checkpoint::Model& model, int layer);

// Drops the layer's file pages from the resident set once it has been used.
void releaseLayerPages(const checkpoint::Model& model, int layer);

// Reads the layer's bytes into the page cache, in file order, without mapping them into this
// process (see LayerPrefetcher). Blocks while the reads are queued; `stop` is checked between
// tensors.
void prefetchLayerPages(const checkpoint::Model& model, int layer, const std::atomic<bool>& stop);

}  // namespace moescope::engine
