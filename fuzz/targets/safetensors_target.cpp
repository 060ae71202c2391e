// A .safetensors file from the internet: the header must be refused or give tensors whose
// spans lie inside the file, which is read here to the last byte of each.
#include <string>

#include "core/checkpoint/mapped_file.h"
#include "core/checkpoint/nonfinite_values.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/error.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

Outcome runSafetensors(std::span<const std::byte> input) {
  using namespace checkpoint;
  std::shared_ptr<const SafetensorsFile> file;
  try {
    // A heap copy of exactly the input's size: AddressSanitizer sees a read one byte too far.
    file = SafetensorsFile::parse(MappedFile::fromBytes(
        "fuzz.safetensors", std::string_view(reinterpret_cast<const char*>(input.data()), input.size())));
  } catch (const Error& error) {
    return {false, error.what()};
  }
  std::string previous_name;
  for (const TensorInfo& tensor : file->tensors()) {
    if (!previous_name.empty() && !(previous_name < tensor.name)) invariantBroken("safetensors", "tensors not sorted");
    previous_name = tensor.name;
    if (tensor.file_offset > input.size() || tensor.byte_size > input.size() - tensor.file_offset) {
      invariantBroken("safetensors", "tensor " + tensor.name + " lies outside the file");
    }
    if (tensor.byte_size != static_cast<std::size_t>(tensor.numel()) * dtypeSize(tensor.dtype)) {
      invariantBroken("safetensors", "tensor " + tensor.name + " has a span that does not fit its shape");
    }
    // Every byte, through the scan a run does on real weights.
    countNonFinite(tensor.dtype, tensor.bytes());
    if (file->find(tensor.name) != &tensor) invariantBroken("safetensors", "find() misses " + tensor.name);
  }
  return {};
}

}  // namespace moescope::fuzz
