#include "core/checkpoint/rope_scaling_config.h"

namespace moescope::checkpoint {

using nlohmann::json;

RopeScaling parseRopeScaling(const ConfigReader& reader) {
  RopeScaling scaling;
  if (!reader.has("rope_scaling")) return scaling;
  const json& value = reader.root().at("rope_scaling");
  if (!value.is_object()) reader.fail("rope_scaling", "must be an object or null, found " + value.dump());
  ConfigReader inner(value, "rope_scaling");
  std::string kind = inner.optionalString("rope_type");
  if (kind.empty()) kind = inner.optionalString("type");
  scaling.factor = inner.optionalPositiveDouble("factor").value_or(1.0);
  if (kind == "linear") {
    scaling.kind = RopeScaling::Kind::Linear;
  } else if (kind == "llama3") {
    scaling.kind = RopeScaling::Kind::Llama3;
    scaling.low_freq_factor = inner.optionalPositiveDouble("low_freq_factor").value_or(1.0);
    scaling.high_freq_factor = inner.optionalPositiveDouble("high_freq_factor").value_or(4.0);
    scaling.original_max_position_embeddings =
        inner.optionalInt("original_max_position_embeddings", 1, int64_t{1} << 30).value_or(8192);
    if (scaling.high_freq_factor <= scaling.low_freq_factor)
      reader.fail("rope_scaling", "high_freq_factor must exceed low_freq_factor");
  } else if (kind == "default" || kind.empty()) {
    scaling.kind = RopeScaling::Kind::None;
  } else {
    reader.fail("rope_scaling", "has type \"" + kind + "\", which MoEScope does not support yet (supported: linear, llama3)");
  }
  return scaling;
}

}  // namespace moescope::checkpoint
