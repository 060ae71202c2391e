#include "core/checkpoint/gguf_keys.h"

#include <algorithm>
#include <functional>

namespace moescope::checkpoint {

void GgufKeys::fail(std::string_view key, const std::string& problem) const {
  throw Error(category_, file_.path().string() + ": metadata key \"" + std::string(key) + "\" " + problem);
}

void GgufKeys::wrongType(std::string_view key, const GgufValue& value, const char* wanted) const {
  std::string found(ggufValueTypeName(value.type()));
  if (value.type() == GgufValueType::Array) found += " of " + std::string(ggufValueTypeName(value.elementType()));
  fail(key, std::string("must be ") + wanted + ", found a " + found);
}

std::optional<std::string> GgufKeys::text(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto text = value->asString()) return std::string(*text);
  wrongType(key, *value, "a string");
}

std::optional<std::int64_t> GgufKeys::integer(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto single = value->asInt()) return single;
  wrongType(key, *value, "an integer");
}

std::optional<std::int64_t> GgufKeys::perLayerInteger(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto single = value->asInt()) return single;
  if (const auto list = value->asInts(); list && !list->empty()) {
    if (std::adjacent_find(list->begin(), list->end(), std::not_equal_to<>()) != list->end())
      fail(key, "differs between layers, which MoEScope cannot analyse yet");
    return list->front();
  }
  wrongType(key, *value, "an integer");
}

std::optional<double> GgufKeys::number(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto number = value->asFloat()) return number;
  wrongType(key, *value, "a number");
}

std::optional<bool> GgufKeys::flag(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto flag = value->asBool()) return flag;
  wrongType(key, *value, "a boolean");
}

std::optional<std::vector<std::string>> GgufKeys::strings(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (const auto list = value->asStrings()) return std::vector<std::string>(list->begin(), list->end());
  wrongType(key, *value, "a list of strings");
}

std::optional<std::vector<std::int64_t>> GgufKeys::integers(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (auto list = value->asInts()) return list;
  wrongType(key, *value, "a list of integers");
}

std::optional<std::vector<double>> GgufKeys::numbers(std::string_view key) const {
  const GgufValue* value = find(key);
  if (!value) return std::nullopt;
  if (auto list = value->asFloats()) return list;
  wrongType(key, *value, "a list of numbers");
}

}  // namespace moescope::checkpoint
