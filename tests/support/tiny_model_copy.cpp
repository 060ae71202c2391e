#include "tests/support/tiny_model_copy.h"

#include <cstring>
#include <map>
#include <stdexcept>

#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"

namespace moescope::test {

void writeTinyModelCopy(const std::filesystem::path& from, const std::filesystem::path& to, const TinySpec& spec,
                        const std::vector<int>& to_copy, const TensorEdit& edit) {
  std::vector<bool> taken(static_cast<std::size_t>(spec.experts), false);
  for (const int e : to_copy)
    if (e < 0 || e >= spec.experts || taken[static_cast<std::size_t>(e)]) throw std::invalid_argument("to_copy is not a permutation of the experts");
    else taken[static_cast<std::size_t>(e)] = true;
  if (to_copy.size() != taken.size()) throw std::invalid_argument("to_copy is not a permutation of the experts");
  std::filesystem::create_directories(to);
  std::filesystem::copy_file(from / "config.json", to / "config.json",
                             std::filesystem::copy_options::overwrite_existing);
  const auto file = checkpoint::SafetensorsFile::open(from / "model.safetensors");
  std::map<std::string, std::string> renamed;
  for (int64_t layer = 0; layer < spec.layers; ++layer)
    for (int e = 0; e < spec.experts; ++e)
      for (auto t : {TinyTensor::ExpertGate, TinyTensor::ExpertUp, TinyTensor::ExpertDown})
        renamed[tinyName(spec, t, layer, e)] = tinyName(spec, t, layer, to_copy.at(static_cast<std::size_t>(e)));
  std::vector<checkpoint::TensorSource> sources;
  for (const checkpoint::TensorInfo& info : file->tensors()) {
    std::vector<float> values(static_cast<std::size_t>(info.numel()));
    std::memcpy(values.data(), info.data, info.byte_size);
    if (edit) edit(info.name, values);
    for (int64_t layer = 0; layer < spec.layers; ++layer) {
      if (info.name != tinyName(spec, TinyTensor::Router, layer)) continue;
      const int64_t width = info.shape[1];
      std::vector<float> moved(values.size());
      for (int e = 0; e < spec.experts; ++e)
        std::copy_n(values.begin() + e * width, width, moved.begin() + to_copy[static_cast<std::size_t>(e)] * width);
      values = moved;
    }
    const auto it = renamed.find(info.name);
    sources.push_back(checkpoint::tensorFromFloats(it == renamed.end() ? info.name : it->second, info.shape, values));
  }
  checkpoint::writeSafetensors(to / "model.safetensors", sources);
}

}  // namespace moescope::test
