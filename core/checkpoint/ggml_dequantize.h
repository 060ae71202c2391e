#pragma once
// Decoders of the ggml block formats GGUF files store weights in, to float32, block by block:
// F32, F16, BF16, the legacy quants Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, the k-quants Q2_K, Q3_K, Q4_K,
// Q5_K, Q6_K (super-blocks of 256 values in sub-blocks with 4- to 8-bit scales), IQ4_NL and
// IQ4_XS (4-bit indices into a fixed non-uniform table) and MXFP4 (e2m1 values under an e8m0
// scale). Each block's scale is a float16 (an e8m0 byte for MXFP4); a value is its quant times
// its scales, minus its minimum where the format has one, computed in float32 as ggml does.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace moescope::checkpoint {

// Whether dequantizeGgml() decodes ggml type `type`.
bool canDequantizeGgml(std::uint32_t type);
// The types dequantizeGgml() decodes, by id, for messages: "F32, F16, Q4_0, ... and MXFP4".
std::string decodableGgmlTypes();

// Decodes bytes (whole blocks of `type`) into out (block values per block). Throws
// Error(UnsupportedFormat) naming the type when there is no decoder for it, and
// Error(InvalidArgument) when the spans do not hold the same number of whole blocks.
void dequantizeGgml(std::uint32_t type, std::span<const std::byte> bytes, std::span<float> out);

}  // namespace moescope::checkpoint
