#include "core/tokenizer/hf_json_fields.h"

#include "core/error.h"

namespace moescope::tokenizer::hf {

void fail(const std::string& context, const std::string& message) {
  throw Error(ErrorCategory::Tokenizer, context + ": " + message);
}

std::string describeValue(const Json& value) {
  if (value.is_array()) return "an array of " + std::to_string(value.size()) + " elements";
  if (value.is_object()) return "an object of " + std::to_string(value.size()) + " fields";
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr size_t kShown = 60;
  if (text.size() > kShown) text = text.substr(0, kShown) + "...";
  return text;
}

const Json& requireObject(const Json& value, const std::string& context) {
  if (!value.is_object()) fail(context, "must be a JSON object, found " + describeValue(value));
  return value;
}

const Json* findField(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json& requireField(const Json& object, std::string_view key, const std::string& context) {
  const Json* field = findField(object, key);
  if (!field) fail(context, "field \"" + std::string(key) + "\" is missing");
  return *field;
}

std::string requireString(const Json& object, std::string_view key, const std::string& context) {
  const Json& field = requireField(object, key, context);
  if (!field.is_string())
    fail(context, "field \"" + std::string(key) + "\" must be a string, found " + describeValue(field));
  return field.get<std::string>();
}

std::optional<std::string> optionalString(const Json& object, std::string_view key, const std::string& context) {
  const Json* field = findField(object, key);
  if (!field) return std::nullopt;
  if (!field->is_string())
    fail(context, "field \"" + std::string(key) + "\" must be a string or null, found " + describeValue(*field));
  return field->get<std::string>();
}

bool optionalBool(const Json& object, std::string_view key, bool fallback, const std::string& context) {
  const Json* field = findField(object, key);
  if (!field) return fallback;
  if (!field->is_boolean())
    fail(context, "field \"" + std::string(key) + "\" must be true or false, found " + describeValue(*field));
  return field->get<bool>();
}

std::string requireType(const Json& object, const std::string& context) {
  requireObject(object, context);
  return requireString(object, "type", context);
}

}  // namespace moescope::tokenizer::hf
