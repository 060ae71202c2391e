#include "core/engine/fp8_dequant.h"

#include <algorithm>

#include <ATen/Parallel.h>

#include "core/checkpoint/float8.h"
#include "core/engine/tensor_loader.h"
#include "core/error.h"

namespace moescope::engine {
namespace {

using checkpoint::DType;
using checkpoint::TensorInfo;

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text.append(i ? ", " : "").append(std::to_string(shape[i]));
  return text.append("]");
}

int64_t blocksOver(int64_t length, int64_t block) { return (length + block - 1) / block; }

// Every element is table[code] * its block's scale, computed in float32. Within a block that is
// a lookup in the 256 products of that scale, built once per block: no per-element arithmetic.
template <class Out>
at::Tensor decodeBlocks(const std::uint8_t* codes, int64_t rows, int64_t cols, const at::Tensor& scales,
                        Fp8BlockSize block) {
  const auto& table = checkpoint::float8E4m3Table();
  const float* scale = scales.data_ptr<float>();
  const int64_t block_rows = blocksOver(rows, block.rows), block_cols = blocksOver(cols, block.cols);
  at::Tensor result = at::empty({rows, cols}, at::CppTypeToScalarType<Out>::value);
  Out* out = result.data_ptr<Out>();
  at::parallel_for(0, block_rows, 1, [&](int64_t begin, int64_t end) {
    Out lookup[256];
    for (int64_t r = begin; r < end; ++r) {
      const int64_t row_end = std::min(rows, (r + 1) * block.rows);
      for (int64_t c = 0; c < block_cols; ++c) {
        const float s = scale[r * block_cols + c];
        for (int code = 0; code < 256; ++code) lookup[code] = static_cast<Out>(table[code] * s);
        const int64_t col_begin = c * block.cols, col_end = std::min(cols, col_begin + block.cols);
        for (int64_t i = r * block.rows; i < row_end; ++i) {
          const std::uint8_t* row_codes = codes + i * cols;
          Out* row_out = out + i * cols;
          for (int64_t j = col_begin; j < col_end; ++j) row_out[j] = lookup[row_codes[j]];
        }
      }
    }
  });
  return result;
}

}  // namespace

std::string fp8ScaleName(std::string_view weight_name) {
  return std::string(weight_name).append("_scale_inv");
}

bool isFp8(const TensorInfo& tensor) { return tensor.dtype == DType::F8_E4M3; }

at::Tensor dequantizeFp8(const TensorInfo& weight, const TensorInfo& scale_inv, const at::Device& device,
                         at::ScalarType dtype, Fp8BlockSize block) {
  if (weight.dtype != DType::F8_E4M3)
    throw Error(ErrorCategory::UnsupportedFormat, "tensor " + weight.name + " is " +
                                                      std::string(checkpoint::dtypeName(weight.dtype)) +
                                                      ", not the F8_E4M3 its block scales " + scale_inv.name +
                                                      " quantise");
  if (weight.shape.size() != 2)
    throw Error(ErrorCategory::ShapeMismatch, "tensor " + weight.name + " has shape " + shapeText(weight.shape) +
                                                  "; block-quantised weights are 2-D [out, in]");
  if (block.rows <= 0 || block.cols <= 0)
    throw Error(ErrorCategory::InvalidConfig, "quantization_config.weight_block_size must be positive, found [" +
                                                  std::to_string(block.rows) + ", " + std::to_string(block.cols) + "]");
  const int64_t rows = weight.shape[0], cols = weight.shape[1];
  if (weight.byte_size != static_cast<std::size_t>(rows * cols))
    throw Error(ErrorCategory::MalformedFile, "tensor " + weight.name + " holds " + std::to_string(weight.byte_size) +
                                                  " bytes, but its shape needs " + std::to_string(rows * cols));
  const std::vector<int64_t> expected = {blocksOver(rows, block.rows), blocksOver(cols, block.cols)};
  if (scale_inv.shape != expected)
    throw Error(ErrorCategory::ShapeMismatch, "tensor " + scale_inv.name + " has shape " +
                                                  shapeText(scale_inv.shape) + ", but " + weight.name + " " +
                                                  shapeText(weight.shape) + " in " + std::to_string(block.rows) +
                                                  " x " + std::to_string(block.cols) + " blocks needs " +
                                                  shapeText(expected));
  if (scale_inv.dtype != DType::F32 && scale_inv.dtype != DType::BF16 && scale_inv.dtype != DType::F16)
    throw Error(ErrorCategory::UnsupportedFormat, "tensor " + scale_inv.name + " is " +
                                                      std::string(checkpoint::dtypeName(scale_inv.dtype)) +
                                                      "; block scales must be F32, BF16 or F16");

  const at::Tensor scales = viewOf(scale_inv).to(at::kFloat).contiguous();
  const auto* codes = reinterpret_cast<const std::uint8_t*>(weight.data);
  // bfloat16 and float16 are written directly (each product rounded once, as .to() rounds it);
  // other dtypes go through float32.
  if (dtype == at::kBFloat16) return decodeBlocks<c10::BFloat16>(codes, rows, cols, scales, block).to(device);
  if (dtype == at::kHalf) return decodeBlocks<c10::Half>(codes, rows, cols, scales, block).to(device);
  return decodeBlocks<float>(codes, rows, cols, scales, block).to(dtype).to(device);
}

}  // namespace moescope::engine
