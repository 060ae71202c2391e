#include "core/checkpoint/stop_tokens.h"

#include "core/checkpoint/bounded_file.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"

namespace moescope::checkpoint {
namespace {

constexpr std::size_t kMaxConfigBytes = 1u << 20;

// eos_token_id of a JSON file in the folder: nullopt when the file or the key is absent.
std::optional<std::vector<int64_t>> eosIdsIn(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  const nlohmann::json root =
      parseUntrustedJson(readBoundedFile(file, kMaxConfigBytes, ErrorCategory::MalformedFile), file.string(), 16);
  if (!root.is_object() || !root.contains("eos_token_id") || root["eos_token_id"].is_null()) return std::nullopt;
  const nlohmann::json& value = root["eos_token_id"];
  std::vector<int64_t> ids;
  auto take = [&](const nlohmann::json& id) {
    if (!id.is_number_integer())
      throw Error(ErrorCategory::MalformedFile, file.string() + ": \"eos_token_id\" must be a token id or a list of ids");
    ids.push_back(id.get<int64_t>());
  };
  if (value.is_array()) {
    for (const auto& id : value) take(id);
  } else {
    take(value);
  }
  return ids;
}

}  // namespace

std::vector<int64_t> stopTokenIds(const Model& model) {
  std::optional<std::vector<int64_t>> ids;
  if (model.format != "gguf") {
    ids = eosIdsIn(model.dir / "generation_config.json");
    if (!ids) ids = eosIdsIn(model.dir / "config.json");
  }
  if (!ids && model.spec.eos_token_id) ids = std::vector<int64_t>{*model.spec.eos_token_id};
  std::vector<int64_t> usable;
  for (int64_t id : ids.value_or(std::vector<int64_t>{}))
    if (id >= 0 && id < model.spec.vocab_size) usable.push_back(id);
  return usable;
}

}  // namespace moescope::checkpoint
