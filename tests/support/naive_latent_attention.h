#pragma once
// DeepSeek-V2/V3 multi-head latent attention and their yarn rotary embedding in double
// precision, written from modeling_deepseek.py's equations (DeepseekV2Attention,
// DeepseekV2YarnRotaryEmbedding), sharing no code with the engine.
#include <cstdint>
#include <vector>

#include "tests/support/naive_math.h"
#include "tests/support/tiny_model.h"

namespace moescope::test::naive {

// yarn_get_mscale: 0.1 * mscale * ln(factor) + 1 for factor > 1, else 1.
double yarnGetMscale(double factor, double mscale);

// The rotary frequencies of a `dim`-wide rope slice: theta^(-2i/dim), blended with
// theta^(-2i/dim) / factor over yarn's correction range when yarn is given.
Vec rotaryFrequencies(const TinySpec& s, int64_t dim);

// One layer's latent attention over already-normed inputs [T][H]; returns the o_proj outputs.
// apply_yarn_mscale = false leaves out yarn's softmax-scale and cos/sin factors (a mutation).
std::vector<Vec> latentAttention(const TinySpec& s, const TinyWeights& W, const std::vector<Vec>& normed, int64_t L,
                                 bool apply_yarn_mscale);

}  // namespace moescope::test::naive
