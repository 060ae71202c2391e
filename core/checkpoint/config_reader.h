#pragma once
// Typed access to config.json fields that turns every problem into an Error(InvalidConfig)
// naming the file and the field, so each family's parser states only what it reads.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace moescope::checkpoint {

// Limits far above any real model, low enough that a hostile config cannot make the engine
// ask for absurd allocations.
namespace config_limits {
inline constexpr int64_t kMaxWidth = int64_t{1} << 20;
inline constexpr int64_t kMaxVocab = int64_t{1} << 24;
inline constexpr int64_t kMaxLayers = 4096;
inline constexpr int64_t kMaxExperts = 4096;
inline constexpr int64_t kMaxHeads = 4096;
}  // namespace config_limits

// Reads config fields and turns every problem into an error naming the file and the field.
class ConfigReader {
 public:
  using json = nlohmann::json;

  ConfigReader(const json& root, std::string_view source) : root_(root), source_(source) {}

  [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
    throw Error(ErrorCategory::InvalidConfig,
                std::string(source_) + ": field \"" + std::string(key) + "\" " + problem);
  }

  bool has(std::string_view key) const {
    const auto it = root_.find(key);
    return it != root_.end() && !it->is_null();
  }

  std::optional<int64_t> optionalInt(std::string_view key, int64_t min, int64_t max) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    int64_t result = 0;
    if (value.is_number_integer() || value.is_number_unsigned()) {
      if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
        fail(key, "is out of range");
      result = value.get<int64_t>();
    } else if (value.is_number_float() && std::isfinite(value.get<double>()) &&
               std::floor(value.get<double>()) == value.get<double>() &&
               std::fabs(value.get<double>()) < 9e15) {
      result = static_cast<int64_t>(value.get<double>());
    } else {
      fail(key, "must be an integer, found " + value.dump());
    }
    if (result < min || result > max)
      fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " +
                    std::to_string(result));
    return result;
  }

  int64_t requiredInt(std::string_view key, int64_t min, int64_t max) const {
    auto value = optionalInt(key, min, max);
    if (!value) fail(key, "is missing");
    return *value;
  }

  // The first of several alternative keys that is present.
  std::optional<int64_t> firstInt(const std::vector<std::string_view>& keys, int64_t min, int64_t max) const {
    for (auto key : keys)
      if (has(key)) return optionalInt(key, min, max);
    return std::nullopt;
  }

  std::optional<double> optionalPositiveDouble(std::string_view key, bool allow_zero = false) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    if (!value.is_number()) fail(key, "must be a number, found " + value.dump());
    const double result = value.get<double>();
    if (!std::isfinite(result) || result < 0 || (result == 0 && !allow_zero))
      fail(key, std::string(allow_zero ? "must be a non-negative number" : "must be a positive number") +
                    ", found " + value.dump());
    return result;
  }

  bool optionalBool(std::string_view key, bool fallback) const {
    if (!has(key)) return fallback;
    const json& value = root_.at(std::string(key));
    if (!value.is_boolean()) fail(key, "must be true or false, found " + value.dump());
    return value.get<bool>();
  }

  std::string optionalString(std::string_view key) const {
    if (!has(key)) return {};
    const json& value = root_.at(std::string(key));
    if (!value.is_string()) fail(key, "must be a string, found " + value.dump());
    return value.get<std::string>();
  }

  // A list of integers, each in [min, max] (Qwen's mlp_only_layers); empty when absent.
  std::vector<int64_t> optionalIntList(std::string_view key, int64_t min, int64_t max) const {
    std::vector<int64_t> values;
    if (!has(key)) return values;
    const json& list = root_.at(std::string(key));
    if (!list.is_array()) fail(key, "must be a list of integers, found " + list.dump());
    for (const json& item : list) {
      if (!item.is_number_integer())
        fail(key, "must be a list of integers, found " + item.dump() + " in it");
      const int64_t value = item.get<int64_t>();
      if (value < min || value > max)
        fail(key, "lists " + std::to_string(value) + ", outside " + std::to_string(min) + ".." + std::to_string(max));
      values.push_back(value);
    }
    return values;
  }

  // A list of strings (gpt-oss's layer_types); empty when absent.
  std::vector<std::string> optionalStringList(std::string_view key) const {
    std::vector<std::string> values;
    if (!has(key)) return values;
    const json& list = root_.at(std::string(key));
    if (!list.is_array()) fail(key, "must be a list of strings, found " + list.dump());
    for (const json& item : list) {
      if (!item.is_string()) fail(key, "must be a list of strings, found " + item.dump() + " in it");
      values.push_back(item.get<std::string>());
    }
    return values;
  }

  // bos/eos ids may be an int or a list of ints (Llama 3 lists several eos ids).
  std::optional<int64_t> tokenId(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    if (value.is_array() && !value.empty() && value.front().is_number_integer()) return value.front().get<int64_t>();
    if (value.is_number_integer()) return value.get<int64_t>();
    return std::nullopt;
  }

  const json& root() const { return root_; }

 private:
  const json& root_;
  std::string_view source_;
};

}  // namespace moescope::checkpoint
