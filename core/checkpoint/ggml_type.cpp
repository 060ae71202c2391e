#include "core/checkpoint/ggml_type.h"

#include <algorithm>
#include <array>

namespace moescope::checkpoint {

namespace {

// ids 4 and 5 (Q4_2, Q4_3) were removed from ggml before GGUF existed; 31-33 and 36-38 were
// used by types ggml has since dropped.
constexpr std::array kTypes = {
    GgmlTypeInfo{0, "F32", 1, 4},         GgmlTypeInfo{1, "F16", 1, 2},
    GgmlTypeInfo{2, "Q4_0", 32, 18},      GgmlTypeInfo{3, "Q4_1", 32, 20},
    GgmlTypeInfo{6, "Q5_0", 32, 22},      GgmlTypeInfo{7, "Q5_1", 32, 24},
    GgmlTypeInfo{8, "Q8_0", 32, 34},      GgmlTypeInfo{9, "Q8_1", 32, 36},
    GgmlTypeInfo{10, "Q2_K", 256, 84},    GgmlTypeInfo{11, "Q3_K", 256, 110},
    GgmlTypeInfo{12, "Q4_K", 256, 144},   GgmlTypeInfo{13, "Q5_K", 256, 176},
    GgmlTypeInfo{14, "Q6_K", 256, 210},   GgmlTypeInfo{15, "Q8_K", 256, 292},
    GgmlTypeInfo{16, "IQ2_XXS", 256, 66}, GgmlTypeInfo{17, "IQ2_XS", 256, 74},
    GgmlTypeInfo{18, "IQ3_XXS", 256, 98}, GgmlTypeInfo{19, "IQ1_S", 256, 50},
    GgmlTypeInfo{20, "IQ4_NL", 32, 18},   GgmlTypeInfo{21, "IQ3_S", 256, 110},
    GgmlTypeInfo{22, "IQ2_S", 256, 82},   GgmlTypeInfo{23, "IQ4_XS", 256, 136},
    GgmlTypeInfo{24, "I8", 1, 1},         GgmlTypeInfo{25, "I16", 1, 2},
    GgmlTypeInfo{26, "I32", 1, 4},        GgmlTypeInfo{27, "I64", 1, 8},
    GgmlTypeInfo{28, "F64", 1, 8},        GgmlTypeInfo{29, "IQ1_M", 256, 56},
    GgmlTypeInfo{30, "BF16", 1, 2},       GgmlTypeInfo{34, "TQ1_0", 256, 54},
    GgmlTypeInfo{35, "TQ2_0", 256, 66},   GgmlTypeInfo{39, "MXFP4", 32, 17},
};

}  // namespace

const GgmlTypeInfo* ggmlType(std::uint32_t id) {
  const auto it = std::find_if(kTypes.begin(), kTypes.end(), [id](const GgmlTypeInfo& type) { return type.id == id; });
  return it == kTypes.end() ? nullptr : &*it;
}

std::string ggmlTypeName(std::uint32_t id) {
  const GgmlTypeInfo* type = ggmlType(id);
  return type ? std::string(type->name) : "type " + std::to_string(id);
}

}  // namespace moescope::checkpoint
