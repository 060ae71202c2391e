#pragma once
// Which weights of a model hold NaN or infinite values, looked for layer by layer as a run
// reaches each layer (the bytes are then in the page cache already): a damaged checkpoint is
// reported by tensor while the analysis goes on.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/nonfinite_values.h"

namespace moescope::checkpoint {

struct NonFiniteTensor {
  std::string name;
  NonFiniteValues values;

  // describeNonFinite() of this tensor.
  std::string describe() const { return describeNonFinite(name, values); }
};

// The NaN and infinite values among whole GGUF blocks of ggml type `type`, counted as they
// decode (first_index counts values from the start of `bytes`). A block of a quantised type
// is decoded only when one of its scales is not finite (or, for MXFP4, large enough to
// overflow float32): checking a layer costs a read of its scales, not a second decoding.
NonFiniteValues countNonFiniteInGgmlBlocks(std::uint32_t type, std::span<const std::byte> bytes);

// Every tensor of decoder layer `layer` holding NaN or infinite values, sorted by name. A
// layer's tensors are all names under the layer prefixes of the family's registry row
// ("model.layers.3."), so experts, shared experts and norms are all covered.
std::vector<NonFiniteTensor> findNonFiniteInLayer(const Model& model, int layer);

// The rows of the token embedding a run on `ids` reads (ids outside the table are skipped;
// the engine refuses them). Empty when those rows are finite.
std::vector<NonFiniteTensor> findNonFiniteInEmbeddingRows(const Model& model, std::span<const int64_t> ids);

}  // namespace moescope::checkpoint
