#pragma once
// Private: DeepSeek-V3's FP8 weights. Each linear weight of attention and of the experts
// (dense, shared and routed) is stored as F8_E4M3 [out, in] next to a float32
// "<name>_scale_inv" [ceil(out / 128), ceil(in / 128)]: the weight's value is the decoded
// float8 times the scale of its 128 x 128 block (edge blocks are partial). Norms, embeddings,
// lm_head, the router and e_score_correction_bias are stored unquantised.
#include <cstdint>
#include <string>
#include <string_view>

#include <ATen/ATen.h>

#include "core/checkpoint/safetensors_file.h"

namespace moescope::engine {

// quantization_config.weight_block_size: rows x columns of input covered by one scale.
struct Fp8BlockSize {
  int64_t rows = 128;
  int64_t cols = 128;
};

// "model.layers.0.mlp.down_proj.weight" -> "model.layers.0.mlp.down_proj.weight_scale_inv".
std::string fp8ScaleName(std::string_view weight_name);

bool isFp8(const checkpoint::TensorInfo& tensor);

// weight (F8_E4M3, 2-D) times its block scales (F32, BF16 or F16), decoded in float32 as the
// reference's weight_dequant does (one float32 product per element), then moved to `device`
// and converted to `dtype`. Error(UnsupportedFormat / ShapeMismatch) names the tensor at fault.
at::Tensor dequantizeFp8(const checkpoint::TensorInfo& weight, const checkpoint::TensorInfo& scale_inv,
                         const at::Device& device, at::ScalarType dtype, Fp8BlockSize block = {});

}  // namespace moescope::engine
