#include "core/checkpoint/nonfinite_weights.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/checkpoint/ggml_dequantize.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/mxfp4.h"

namespace moescope::checkpoint {

namespace {

// "model.layers.3." for every per-layer pattern of the family ("model.layers.{L}.input_...").
std::set<std::string> layerPrefixes(const Model& model, int layer) {
  std::set<std::string> prefixes;
  constexpr std::string_view kLayerKey = "{L}";
  for (const std::string_view pattern : model.arch->tensor_patterns) {
    const std::size_t at = pattern.find(kLayerKey);
    if (at == std::string_view::npos) continue;
    std::string prefix(pattern.substr(0, at));
    prefix.append(std::to_string(layer));
    // Up to the separator after the index, so that layer 3 does not take in layer 31.
    const std::size_t after = at + kLayerKey.size();
    if (after < pattern.size()) prefix.push_back(pattern[after]);
    prefixes.insert(model.stored(std::move(prefix)));
  }
  return prefixes;
}

// Where a block of a quantised type keeps its scales. Every value such a block decodes to is a
// bounded integer times a scale, plus a bounded integer times a second scale for some types
// (at most 65504 x 63 x 15 from float16 scales): with the scales finite, so are the values, and
// only a block with a non-finite scale needs decoding to be counted. MXFP4's scale is a power of
// two, 2^(e - 127) (e = 255: NaN); its largest value, 6 x 2^125 for e = 252, is still finite,
// 6 x 2^126 is not.
struct ScaleScreen {
  std::uint32_t type = 0;
  std::array<int, 2> half_offsets = {-1, -1};  // float16 scales' byte offsets in the block; -1: none
  bool e8m0_first = false;                     // the block starts with an e8m0 scale (MXFP4)
};
constexpr std::array kScaleScreens = {
    ScaleScreen{2, {0, -1}},    ScaleScreen{3, {0, 2}},     ScaleScreen{6, {0, -1}},  // Q4_0, Q4_1, Q5_0
    ScaleScreen{7, {0, 2}},     ScaleScreen{8, {0, -1}},                              // Q5_1, Q8_0
    ScaleScreen{10, {80, 82}},  ScaleScreen{11, {108, -1}}, ScaleScreen{12, {0, 2}},  // Q2_K, Q3_K, Q4_K
    ScaleScreen{13, {0, 2}},    ScaleScreen{14, {208, -1}},                           // Q5_K, Q6_K
    ScaleScreen{20, {0, -1}},   ScaleScreen{23, {0, -1}},                             // IQ4_NL, IQ4_XS
    ScaleScreen{39, {-1, -1}, true},                                                  // MXFP4
};
constexpr std::uint8_t kLargestFiniteMxfp4Scale = 252;

const ScaleScreen* scaleScreenOf(std::uint32_t type) {
  for (const ScaleScreen& screen : kScaleScreens)
    if (screen.type == type) return &screen;
  return nullptr;
}

bool mayDecodeToNonFinite(const ScaleScreen& screen, const std::byte* block) {
  if (screen.e8m0_first) return std::to_integer<std::uint8_t>(block[0]) > kLargestFiniteMxfp4Scale;
  for (const int offset : screen.half_offsets) {
    if (offset < 0) continue;
    const auto bits = static_cast<std::uint16_t>(std::to_integer<unsigned>(block[offset]) |
                                                 std::to_integer<unsigned>(block[offset + 1]) << 8);
    if ((bits & 0x7C00) == 0x7C00) return true;  // exponent all ones: infinite or NaN
  }
  return false;
}

}  // namespace

NonFiniteValues countNonFiniteInGgmlBlocks(std::uint32_t type, std::span<const std::byte> bytes) {
  const GgmlTypeInfo* info = ggmlType(type);
  NonFiniteValues total;
  if (!info || info->block_bytes <= 0) return total;
  const auto block_bytes = static_cast<std::size_t>(info->block_bytes);
  const auto block_values = static_cast<std::size_t>(info->block_values);
  const ScaleScreen* screen = scaleScreenOf(type);
  constexpr std::size_t kBlocksAtOnce = 64;
  std::vector<float> values(kBlocksAtOnce * block_values);
  for (std::size_t at = 0, index = 0; at + block_bytes <= bytes.size();) {
    std::size_t blocks = std::min(kBlocksAtOnce, (bytes.size() - at) / block_bytes);
    if (screen) {
      // Blocks with finite scales are passed over; one that may not be is decoded on its own.
      std::size_t finite = 0;
      while (finite < blocks && !mayDecodeToNonFinite(*screen, bytes.data() + at + finite * block_bytes)) ++finite;
      if (finite > 0) {
        at += finite * block_bytes;
        index += finite * block_values;
        continue;
      }
      blocks = 1;
    }
    const std::span<float> out(values.data(), blocks * block_values);
    dequantizeGgml(type, bytes.subspan(at, blocks * block_bytes), out);
    const NonFiniteValues chunk = countNonFinite(DType::F32, std::as_bytes(out));
    if (chunk.any() && !total.any()) total.first_index = index + chunk.first_index;
    total.nan += chunk.nan;
    total.infinite += chunk.infinite;
    at += blocks * block_bytes;
    index += blocks * block_values;
  }
  return total;
}

namespace {

NonFiniteValues countNonFiniteStored(const TensorInfo& tensor, std::span<const std::byte> bytes) {
  return tensor.ggml_type ? countNonFiniteInGgmlBlocks(*tensor.ggml_type, bytes) : countNonFinite(tensor.dtype, bytes);
}

// MXFP4 scales are U8, yet the byte 255 is NaN (OCP MX): its whole group of 32 values decodes
// to NaN. The other U8 tensors hold integers.
NonFiniteValues countNonFiniteIn(const TensorInfo& tensor) {
  if (!tensor.split_kv_b.empty()) {
    // The parts in order; first_index counts through them as if they lay end to end.
    NonFiniteValues total;
    int64_t before = 0;
    for (const TensorInfo& part : tensor.split_kv_b) {
      const NonFiniteValues values = countNonFiniteIn(part);
      if (values.any() && !total.any()) total.first_index = static_cast<std::uint64_t>(before) + values.first_index;
      total.nan += values.nan;
      total.infinite += values.infinite;
      before += part.numel();
    }
    return total;
  }
  if (tensor.ggml_type) return countNonFiniteStored(tensor, tensor.bytes());
  if (mxfp4PartOf(tensor.name, tensor.dtype) != Mxfp4Part::Scales) return countNonFinite(tensor.dtype, tensor.bytes());
  NonFiniteValues values;
  const std::span<const std::byte> bytes = tensor.bytes();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != std::byte{0xFF}) continue;
    if (!values.any()) values.first_index = i;
    ++values.nan;
  }
  return values;
}

}  // namespace

std::vector<NonFiniteTensor> findNonFiniteInLayer(const Model& model, int layer) {
  std::vector<NonFiniteTensor> found;
  if (model.arch == nullptr || !model.weights) return found;
  for (const std::string& prefix : layerPrefixes(model, layer)) {
    for (const TensorInfo* tensor : model.weights->withPrefix(prefix)) {
      const NonFiniteValues values = countNonFiniteIn(*tensor);
      if (values.any()) found.push_back({tensor->name, values});
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  found.erase(std::unique(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.name == b.name; }),
              found.end());
  return found;
}

std::vector<NonFiniteTensor> findNonFiniteInEmbeddingRows(const Model& model, std::span<const int64_t> ids) {
  if (model.arch == nullptr || !model.weights) return {};
  const TensorInfo* table = model.weights->find(model.tensor(TensorRole::TokenEmbedding));
  if (table == nullptr || table->shape.size() != 2 || table->shape[0] <= 0) return {};
  const auto rows = static_cast<std::uint64_t>(table->shape[0]);
  const std::size_t row_bytes = table->byte_size / rows;
  const std::size_t row_elements = static_cast<std::size_t>(table->shape[1]);
  NonFiniteValues total;
  for (const int64_t id : std::set<int64_t>(ids.begin(), ids.end())) {
    if (id < 0 || static_cast<std::uint64_t>(id) >= rows) continue;
    const auto row = table->bytes().subspan(static_cast<std::size_t>(id) * row_bytes, row_bytes);
    const NonFiniteValues values = countNonFiniteStored(*table, row);
    if (!values.any()) continue;
    if (!total.any()) total.first_index = static_cast<std::uint64_t>(id) * row_elements + values.first_index;
    total.nan += values.nan;
    total.infinite += values.infinite;
  }
  if (!total.any()) return {};
  return {{table->name, total}};
}

}  // namespace moescope::checkpoint
