#pragma once
// Typed access to the fields of tokenizer.json objects, throwing Error(Tokenizer) that names
// the file, the object and the field: "<file>: pre_tokenizer.pretokenizers[1]: field
// \"behavior\" must be a string, found 3".
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace moescope::tokenizer::hf {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& context, const std::string& message);

// "3", "\"abc\"", "an array of 12 elements": what was found, short enough for one line.
std::string describeValue(const Json& value);

// The object at `value`, or a failure saying `context` must be an object.
const Json& requireObject(const Json& value, const std::string& context);

// Present and not null, else nullptr.
const Json* findField(const Json& object, std::string_view key);
const Json& requireField(const Json& object, std::string_view key, const std::string& context);

std::string requireString(const Json& object, std::string_view key, const std::string& context);
std::optional<std::string> optionalString(const Json& object, std::string_view key, const std::string& context);
bool optionalBool(const Json& object, std::string_view key, bool fallback, const std::string& context);
// The object's "type" string.
std::string requireType(const Json& object, const std::string& context);

}  // namespace moescope::tokenizer::hf
