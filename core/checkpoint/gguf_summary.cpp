#include "core/checkpoint/gguf_summary.h"

#include <algorithm>
#include <map>

#include "core/checkpoint/ggml_type.h"

namespace moescope::checkpoint {

GgufSummary summarizeGguf(const std::vector<std::shared_ptr<const GgufFile>>& parts) {
  GgufSummary summary;
  if (parts.empty()) return summary;
  const GgufFile& file = *parts.front();
  summary.version = file.version();
  summary.files = parts.size();
  summary.keys = file.metadata().size();
  const auto text = [&](std::string_view key) {
    const GgufValue* value = file.find(key);
    const auto string = value ? value->asString() : std::nullopt;
    return string ? std::string(*string) : std::string();
  };
  summary.architecture = text("general.architecture");
  summary.name = text("general.name");
  const auto count = [&](const std::string& key) -> std::optional<std::int64_t> {
    const GgufValue* value = file.find(key);
    return value ? value->asInt() : std::nullopt;
  };
  if (!summary.architecture.empty()) {
    summary.layers = count(summary.architecture + ".block_count");
    summary.experts = count(summary.architecture + ".expert_count");
    summary.experts_used = count(summary.architecture + ".expert_used_count");
  }
  std::map<std::string, GgufSummary::TypeShare> by_type;
  for (const auto& part : parts)
    for (const GgufTensorInfo& tensor : part->tensors()) {
      GgufSummary::TypeShare& share = by_type[ggmlTypeName(tensor.type)];
      share.type = ggmlTypeName(tensor.type);
      share.parameters += tensor.numel();
      share.tensors += 1;
      summary.parameters += tensor.numel();
      summary.tensors += 1;
    }
  for (auto& [type, share] : by_type) {
    share.share = summary.parameters > 0 ? double(share.parameters) / double(summary.parameters) : 0.0;
    summary.types.push_back(share);
  }
  std::stable_sort(summary.types.begin(), summary.types.end(),
                   [](const auto& a, const auto& b) { return a.parameters > b.parameters; });
  return summary;
}

}  // namespace moescope::checkpoint
