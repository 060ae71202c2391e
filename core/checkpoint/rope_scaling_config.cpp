#include "core/checkpoint/rope_scaling_config.h"

#include <cmath>

namespace moescope::checkpoint {
namespace {

using nlohmann::json;

// The fields of the rope_scaling object. Errors go through the file's reader under the name
// "rope_scaling.<field>", so that they carry the file's name too.
class ScalingFields {
 public:
  ScalingFields(const ConfigReader& file, const json& object) : file_(file), object_(object) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    file_.fail(std::string("rope_scaling.").append(key), problem);
  }

  bool has(const std::string& key) const {
    const auto it = object_.find(key);
    return it != object_.end() && !it->is_null();
  }

  std::string text(const std::string& key) const {
    if (!has(key)) return {};
    const json& value = object_.at(key);
    if (!value.is_string()) fail(key, "must be a string, found " + value.dump());
    return value.get<std::string>();
  }

  std::optional<double> number(const std::string& key, bool allow_zero = false) const {
    if (!has(key)) return std::nullopt;
    return checkedNumber(key, object_.at(key), allow_zero);
  }

  double requiredNumber(const std::string& key) const {
    if (!has(key)) fail(key, "is missing");
    return *number(key);
  }

  std::optional<int64_t> integer(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    const json& value = object_.at(key);
    const bool integral = value.is_number_integer() || value.is_number_unsigned() ||
                          (value.is_number_float() && std::isfinite(value.get<double>()) &&
                           std::floor(value.get<double>()) == value.get<double>());
    if (!integral) fail(key, "must be an integer, found " + value.dump());
    const double magnitude = value.get<double>();
    if (magnitude < 1 || magnitude > double(int64_t{1} << 40))
      fail(key, "must be between 1 and " + std::to_string(int64_t{1} << 40) + ", found " + value.dump());
    return static_cast<int64_t>(magnitude);
  }

  std::optional<bool> boolean(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    const json& value = object_.at(key);
    if (!value.is_boolean()) fail(key, "must be true or false, found " + value.dump());
    return value.get<bool>();
  }

  // A list of positive numbers of exactly `length` entries (when the length is known).
  std::vector<double> numbers(const std::string& key, std::optional<int64_t> length) const {
    if (!has(key)) fail(key, "is missing");
    const json& value = object_.at(key);
    if (!value.is_array()) fail(key, "must be a list of numbers, found " + value.dump().substr(0, 80));
    if (length && static_cast<int64_t>(value.size()) != *length)
      fail(key, "has " + std::to_string(value.size()) + " entries, but the rotary embedding has " +
                    std::to_string(*length) + " frequencies (head_dim / 2)");
    std::vector<double> result;
    result.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i)
      result.push_back(checkedNumber(key + "[" + std::to_string(i) + "]", value[i], false));
    return result;
  }

 private:
  double checkedNumber(const std::string& key, const json& value, bool allow_zero) const {
    if (!value.is_number()) fail(key, "must be a number, found " + value.dump());
    const double result = value.get<double>();
    if (!std::isfinite(result) || result < 0 || (result == 0 && !allow_zero))
      fail(key, std::string(allow_zero ? "must be a non-negative number" : "must be a positive number") +
                    ", found " + value.dump());
    return result;
  }

  const ConfigReader& file_;
  const json& object_;
};

// The rotary width longrope's lists must match: head_dim / 2 frequencies. Unknown (nullopt)
// when the config does not say; the engine checks the lists against the spec again.
std::optional<int64_t> rotaryFrequencies(const ConfigReader& reader) {
  const json& root = reader.root();
  auto positive = [&](const char* key) -> std::optional<int64_t> {
    const auto it = root.find(key);
    if (it == root.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) return std::nullopt;
    return it->get<int64_t>();
  };
  if (auto head_dim = positive("head_dim")) return *head_dim / 2;
  const auto hidden = positive("hidden_size"), heads = positive("num_attention_heads");
  if (hidden && heads && *hidden % *heads == 0) return *hidden / *heads / 2;
  return std::nullopt;
}

std::optional<int64_t> topLevelPositions(const ConfigReader& reader, std::string_view key) {
  return reader.optionalInt(key, 1, int64_t{1} << 40);
}

void parseYarn(const ConfigReader& reader, const ScalingFields& fields, RopeScaling& scaling) {
  scaling.kind = RopeScaling::Kind::Yarn;
  // DeepSeek's DeepseekV2YarnRotaryEmbedding reads these keys with its own defaults.
  scaling.factor = fields.requiredNumber("factor");
  scaling.beta_fast = fields.number("beta_fast").value_or(32.0);
  scaling.beta_slow = fields.number("beta_slow").value_or(1.0);
  scaling.mscale = fields.number("mscale", /*allow_zero=*/true).value_or(1.0);
  scaling.mscale_all_dim = fields.number("mscale_all_dim", /*allow_zero=*/true).value_or(0.0);
  scaling.attention_factor = fields.number("attention_factor");
  scaling.truncate = fields.boolean("truncate").value_or(true);
  // Without it, transformers counts the rotations over max_position_embeddings.
  auto original = fields.integer("original_max_position_embeddings");
  if (!original) original = topLevelPositions(reader, "max_position_embeddings");
  if (!original) fields.fail("original_max_position_embeddings", "is missing (and so is max_position_embeddings)");
  scaling.original_max_position_embeddings = *original;
}

void parseLongRope(const ConfigReader& reader, const ScalingFields& fields, RopeScaling& scaling) {
  scaling.kind = RopeScaling::Kind::LongRope;
  const auto frequencies = rotaryFrequencies(reader);
  scaling.short_factor = fields.numbers("short_factor", frequencies);
  scaling.long_factor = fields.numbers("long_factor", frequencies);
  if (scaling.short_factor.size() != scaling.long_factor.size())
    fields.fail("long_factor", "has " + std::to_string(scaling.long_factor.size()) + " entries, short_factor " +
                                   std::to_string(scaling.short_factor.size()));
  // Phi-3.5-MoE keeps the pre-training context both inside rope_scaling and at the top level.
  auto original = fields.integer("original_max_position_embeddings");
  if (!original) original = topLevelPositions(reader, "original_max_position_embeddings");
  const auto extended = topLevelPositions(reader, "max_position_embeddings");
  if (!original) original = extended;
  if (!original) fields.fail("original_max_position_embeddings", "is missing (and so is max_position_embeddings)");
  scaling.original_max_position_embeddings = *original;

  // transformers' _compute_longrope_parameters: the context extension ratio sets a default
  // attention factor; Phi-3.5-MoE overrides it with short_mscale / long_mscale.
  double factor = fields.number("factor").value_or(1.0);
  if (reader.has("original_max_position_embeddings") && extended)
    factor = static_cast<double>(*extended) / static_cast<double>(*original);
  scaling.factor = factor;
  double attention_factor = 1.0;
  if (auto given = fields.number("attention_factor")) {
    attention_factor = *given;
  } else if (factor > 1.0) {
    attention_factor = std::sqrt(1.0 + std::log(factor) / std::log(static_cast<double>(*original)));
  }
  scaling.attention_factor = attention_factor;
  scaling.short_mscale = fields.number("short_mscale").value_or(attention_factor);
  scaling.long_mscale = fields.number("long_mscale").value_or(attention_factor);
}

}  // namespace

RopeScaling parseRopeScaling(const ConfigReader& reader) {
  RopeScaling scaling;
  if (!reader.has("rope_scaling")) return scaling;
  const json& value = reader.root().at("rope_scaling");
  if (!value.is_object()) reader.fail("rope_scaling", "must be an object or null, found " + value.dump());
  const ScalingFields fields(reader, value);
  std::string kind = fields.text("rope_type");
  if (kind.empty()) kind = fields.text("type");
  if (kind == "linear") {
    scaling.kind = RopeScaling::Kind::Linear;
    scaling.factor = fields.number("factor").value_or(1.0);
  } else if (kind == "llama3") {
    scaling.kind = RopeScaling::Kind::Llama3;
    scaling.factor = fields.number("factor").value_or(1.0);
    scaling.low_freq_factor = fields.number("low_freq_factor").value_or(1.0);
    scaling.high_freq_factor = fields.number("high_freq_factor").value_or(4.0);
    scaling.original_max_position_embeddings = fields.integer("original_max_position_embeddings").value_or(8192);
    // Equal factors (Llama 4 Scout's 1 and 1) leave no band to blend: every wavelength is kept
    // or slowed.
    if (scaling.high_freq_factor < scaling.low_freq_factor)
      fields.fail("high_freq_factor", "must not be below low_freq_factor");
  } else if (kind == "yarn") {
    parseYarn(reader, fields, scaling);
  } else if (kind == "longrope") {
    parseLongRope(reader, fields, scaling);
  } else if (kind == "default" || kind.empty()) {
    scaling.kind = RopeScaling::Kind::None;
  } else {
    reader.fail("rope_scaling", "has type \"" + kind +
                                    "\", which MoEScope does not support yet (supported: linear, llama3, yarn, longrope)");
  }
  return scaling;
}

}  // namespace moescope::checkpoint
