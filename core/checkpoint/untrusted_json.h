#pragma once
// Parsing JSON that came from the internet (safetensors headers, shard indexes). A header of
// a hundred thousand '[' is well within any size cap, yet would build a hundred thousand
// nested values, so nesting is measured before any parser sees the text.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace moescope::checkpoint {

// Deepest nesting of arrays and objects in `text`, ignoring brackets inside strings. Stops
// counting (and returns a value > limit) as soon as `limit` is exceeded. Malformed text is
// measured as far as it goes; rejecting it is the parser's job.
int jsonNestingDepth(std::string_view text, int limit);

// Parses `text`, refusing nesting deeper than `max_depth`. Throws Error(MalformedFile) with
// "<context> is not valid JSON: ..." or "<context> nests JSON deeper than N levels".
nlohmann::json parseUntrustedJson(std::string_view text, const std::string& context, int max_depth);

}  // namespace moescope::checkpoint
