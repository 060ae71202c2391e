// Block-wise FP8 dequantisation against planted weights: every 128 x 128 block (edge blocks
// partial) gets its own known scale and known codes, and each element must come back as the
// code's value by the e4m3 definition times its block's scale.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/fp8_dequant.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/checkpoint/float_conversion.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using checkpoint::DType;
using checkpoint::TensorInfo;

namespace {

// e4m3fn by its definition (sign, 4 exponent bits biased by 7, 3 mantissa bits).
double e4m3(int code) {
  const int e = (code >> 3) & 15, m = code & 7;
  const double magnitude = e == 0 ? std::ldexp(m / 8.0, -6) : std::ldexp(1 + m / 8.0, e - 7);
  return (code & 0x80) ? -magnitude : magnitude;
}

TensorInfo info(const std::string& name, DType dtype, std::vector<int64_t> shape, const void* data, std::size_t bytes) {
  TensorInfo t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.byte_size = bytes;
  t.data = static_cast<const std::byte*>(data);
  return t;
}

// Codes that walk through normals, subnormals and both signs, never NaN.
std::uint8_t plantedCode(int64_t i, int64_t j) {
  const auto code = static_cast<std::uint8_t>((i * 31 + j * 7) % 254);
  return (code & 0x7f) == 0x7f ? 0x38 : code;
}

// Block (r, c) is scaled by 2^(r - 1) * (c + 1.5): exact in float32, different everywhere.
float plantedScale(int64_t r, int64_t c) { return std::ldexp(static_cast<float>(c) + 1.5f, static_cast<int>(r) - 1); }

struct Planted {
  std::vector<std::uint8_t> codes;
  std::vector<float> scales;
  TensorInfo weight, scale;
};

Planted plant(int64_t rows, int64_t cols) {
  Planted p;
  const int64_t block_rows = (rows + 127) / 128, block_cols = (cols + 127) / 128;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) p.codes.push_back(plantedCode(i, j));
  for (int64_t r = 0; r < block_rows; ++r)
    for (int64_t c = 0; c < block_cols; ++c) p.scales.push_back(plantedScale(r, c));
  p.weight = info("model.layers.3.mlp.experts.5.down_proj.weight", DType::F8_E4M3, {rows, cols}, p.codes.data(),
                  p.codes.size());
  p.scale = info("model.layers.3.mlp.experts.5.down_proj.weight_scale_inv", DType::F32, {block_rows, block_cols},
                 p.scales.data(), p.scales.size() * sizeof(float));
  return p;
}

}  // namespace

class Fp8DequantTest : public QObject {
  Q_OBJECT

 private slots:
  void scaleNameFollowsDeepseek() {
    QCOMPARE(QString::fromStdString(engine::fp8ScaleName("model.layers.0.self_attn.q_a_proj.weight")),
             QString("model.layers.0.self_attn.q_a_proj.weight_scale_inv"));
  }

  // 300 x 260: blocks of rows 0-127, 128-255, 256-299 (partial) and columns 0-127, 128-255,
  // 256-259 (partial).
  void everyElementGetsItsBlocksScale() {
    const Planted p = plant(300, 260);
    QVERIFY(engine::isFp8(p.weight));
    const at::Tensor w = engine::dequantizeFp8(p.weight, p.scale, at::kCPU, at::kFloat);
    QVERIFY(w.sizes().equals({300, 260}));
    QVERIFY(w.scalar_type() == at::kFloat);
    const float* got = w.data_ptr<float>();
    for (int64_t i = 0; i < 300; ++i)
      for (int64_t j = 0; j < 260; ++j) {
        const double expected = e4m3(plantedCode(i, j)) * plantedScale(i / 128, j / 128);
        if (got[i * 260 + j] != static_cast<float>(expected))
          QFAIL(qPrintable(QString("element (%1, %2): %3, expected %4").arg(i).arg(j).arg(got[i * 260 + j]).arg(expected)));
      }
    // Spot checks worked by hand: (0, 0) holds code 0 -> 0; (128, 0) holds code 3968 % 254 =
    // 158 = 0x9e: sign, exponent 3, mantissa 6 -> -2^-4 * 1.75 = -0.109375, times block (1, 0)'s
    // 1.5 -> -0.1640625; (299, 259) is in the partial block (2, 2) scaled by 2 * 3.5 = 7.
    QCOMPARE(got[0], 0.0f);
    QCOMPARE(got[128 * 260], -0.1640625f);
    QCOMPARE(plantedScale(2, 2), 7.0f);
  }

  // The compute dtype is the float32 product rounded once, as weight_dequant(...).to(dtype).
  void convertsToTheComputeDtype() {
    const Planted p = plant(130, 129);
    const at::Tensor bf16 = engine::dequantizeFp8(p.weight, p.scale, at::kCPU, at::kBFloat16);
    const at::Tensor f16 = engine::dequantizeFp8(p.weight, p.scale, at::kCPU, at::kHalf);
    const at::Tensor f64 = engine::dequantizeFp8(p.weight, p.scale, at::kCPU, at::kDouble);
    QVERIFY(bf16.scalar_type() == at::kBFloat16 && f16.scalar_type() == at::kHalf && f64.scalar_type() == at::kDouble);
    const at::Tensor bf16_back = bf16.to(at::kFloat).contiguous(), f16_back = f16.to(at::kFloat).contiguous();
    for (int64_t i = 0; i < 130; ++i)
      for (int64_t j = 0; j < 129; ++j) {
        const auto product = static_cast<float>(e4m3(plantedCode(i, j)) * plantedScale(i / 128, j / 128));
        const float want_bf16 = checkpoint::bf16ToFloat(checkpoint::floatToBf16(product));
        const float want_f16 = checkpoint::halfToFloat(checkpoint::floatToHalf(product));
        if (bf16_back.data_ptr<float>()[i * 129 + j] != want_bf16 || f16_back.data_ptr<float>()[i * 129 + j] != want_f16 ||
            f64.data_ptr<double>()[i * 129 + j] != double(product))
          QFAIL(qPrintable(QString("element (%1, %2)").arg(i).arg(j)));
      }
  }

  void acceptsBfloat16Scales() {
    Planted p = plant(64, 200);
    std::vector<std::uint16_t> bf16_scales;
    for (float s : p.scales) bf16_scales.push_back(checkpoint::floatToBf16(s));  // exact: few mantissa bits
    p.scale = info(p.scale.name, DType::BF16, p.scale.shape, bf16_scales.data(), bf16_scales.size() * 2);
    const at::Tensor w = engine::dequantizeFp8(p.weight, p.scale, at::kCPU, at::kFloat);
    QCOMPARE(w[10][150].item<float>(), static_cast<float>(e4m3(plantedCode(10, 150)) * plantedScale(0, 1)));
  }

  void smallerBlocksFromTheConfig() {
    const Planted p = plant(4, 4);
    std::vector<float> scales = {1, 2, 4, 8};  // 2 x 2 blocks of 2 x 2
    const TensorInfo scale = info(p.scale.name, DType::F32, {2, 2}, scales.data(), 16);
    const at::Tensor w = engine::dequantizeFp8(p.weight, scale, at::kCPU, at::kFloat, {2, 2});
    for (int64_t i = 0; i < 4; ++i)
      for (int64_t j = 0; j < 4; ++j)
        QCOMPARE(w[i][j].item<float>(), static_cast<float>(e4m3(plantedCode(i, j)) * scales[(i / 2) * 2 + j / 2]));
  }

  void namesTheTensorAtFault() {
    Planted p = plant(300, 260);
    std::vector<float> few(4, 1.0f);
    const TensorInfo short_scale = info(p.scale.name, DType::F32, {2, 2}, few.data(), 16);
    auto caught = test::catchError([&] { engine::dequantizeFp8(p.weight, short_scale, at::kCPU, at::kFloat); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("down_proj.weight_scale_inv") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("[3, 3]") != std::string::npos, caught.message.c_str());

    const TensorInfo not_fp8 = info(p.weight.name, DType::BF16, {300, 130}, p.codes.data(), p.codes.size());
    caught = test::catchError([&] { engine::dequantizeFp8(not_fp8, p.scale, at::kCPU, at::kFloat); });
    QCOMPARE(caught.category, int(ErrorCategory::UnsupportedFormat));
    QVERIFY2(caught.message.find("experts.5.down_proj.weight") != std::string::npos, caught.message.c_str());

    const TensorInfo int_scale = info(p.scale.name, DType::I32, p.scale.shape, p.scales.data(), p.scales.size() * 4);
    caught = test::catchError([&] { engine::dequantizeFp8(p.weight, int_scale, at::kCPU, at::kFloat); });
    QCOMPARE(caught.category, int(ErrorCategory::UnsupportedFormat));
    QVERIFY2(caught.message.find("weight_scale_inv") != std::string::npos, caught.message.c_str());

    const TensorInfo three_d = info(p.weight.name, DType::F8_E4M3, {3, 100, 260}, p.codes.data(), p.codes.size());
    caught = test::catchError([&] { engine::dequantizeFp8(three_d, p.scale, at::kCPU, at::kFloat); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));

    const TensorInfo truncated = info(p.weight.name, DType::F8_E4M3, {300, 260}, p.codes.data(), 1000);
    caught = test::catchError([&] { engine::dequantizeFp8(truncated, p.scale, at::kCPU, at::kFloat); });
    QCOMPARE(caught.category, int(ErrorCategory::MalformedFile));
  }
};

QTEST_APPLESS_MAIN(Fp8DequantTest)
#include "test_fp8_dequant.moc"
