// A .gguf file from the internet: refused, or every metadata value decodes within the file and
// every tensor of a known type lies inside it, decoded here to float32 where MoEScope can; its
// metadata read as a model's config (for an architecture MoEScope analyses) and its tokenizer
// built, each refused with an Error or made.
#include <string>

#include <vector>

#include "core/checkpoint/ggml_dequantize.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/config_parser.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_model.h"
#include "core/checkpoint/mapped_file.h"
#include "core/error.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

namespace {

// Decodes a value and its elements the ways a reader of the metadata would.
std::size_t visit(const checkpoint::GgufValue& value) {
  std::size_t seen = 0;
  if (const auto text = value.asString()) seen += text->size();
  if (value.asInt() || value.asFloat() || value.asBool()) ++seen;
  if (const auto ints = value.asInts()) seen += ints->size();
  if (const auto floats = value.asFloats()) seen += floats->size();
  if (const auto strings = value.asStrings())
    for (std::string_view s : *strings) seen += s.size();
  for (const checkpoint::GgufValue& element : value.elements()) seen += visit(element);
  return seen;
}

}  // namespace

Outcome runGguf(std::span<const std::byte> input) {
  using namespace checkpoint;
  std::shared_ptr<const GgufFile> file;
  try {
    // A heap copy of exactly the input's size: AddressSanitizer sees a read one byte too far.
    file = GgufFile::parse(MappedFile::fromBytes("fuzz.gguf", std::string_view(reinterpret_cast<const char*>(input.data()), input.size())));
  } catch (const Error& error) {
    return {false, error.what()};
  }
  for (const auto& [key, value] : file->metadata()) {
    visit(value);
    if (file->find(key) != &value) invariantBroken("gguf", "find() misses key " + key);
  }
  unsigned checksum = 0;
  for (const GgufTensorInfo& tensor : file->tensors()) {
    if (tensor.file_offset > input.size() || tensor.byte_size > input.size() - tensor.file_offset)
      invariantBroken("gguf", "tensor " + tensor.name + " lies outside the file");
    if (tensor.file_offset % file->alignment() != 0) invariantBroken("gguf", "tensor " + tensor.name + " is not aligned");
    if (const GgmlTypeInfo* type = ggmlType(tensor.type);
        type && tensor.byte_size != static_cast<std::size_t>(tensor.numel() / type->block_values * type->block_bytes))
      invariantBroken("gguf", "tensor " + tensor.name + " has a span that does not fit its dims");
    for (const std::byte b : tensor.bytes()) checksum += std::to_integer<unsigned>(b);
    if (canDequantizeGgml(tensor.type)) {
      std::vector<float> values(static_cast<std::size_t>(tensor.numel()));
      dequantizeGgml(tensor.type, tensor.bytes(), values);
    }
    if (file->findTensor(tensor.name) != &tensor) invariantBroken("gguf", "findTensor() misses " + tensor.name);
  }
  // The metadata as config.json, and the tokenizer, as opening the model would read them.
  try {
    if (const GgufValue* architecture = file->find("general.architecture"); architecture && architecture->asString()) {
      const auto experts = file->find(std::string(*architecture->asString()) + ".expert_count");
      const bool moe = experts && experts->asInt() && *experts->asInt() > 0;
      const ArchitectureInfo& arch = resolveGgufArchitecture(*architecture->asString(), moe);
      parseModelConfig(ggufConfigJson({file}, arch), "fuzz.gguf metadata");
    }
  } catch (const Error&) {
  }
  try {
    if (const auto tokenizer = tokenizer::loadGgufTokenizer(*file))
      checksum += static_cast<unsigned>(tokenizer->encode("Hello world 123 \xe6\x97\xa5").size());
  } catch (const Error&) {
  }
  (void)checksum;
  return {};
}

}  // namespace moescope::fuzz
