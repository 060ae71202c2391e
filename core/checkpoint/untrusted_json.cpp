#include "core/checkpoint/untrusted_json.h"

#include "core/error.h"

namespace moescope::checkpoint {

int jsonNestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        // Unbalanced closers make the text invalid; the parser will say so.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

nlohmann::json parseUntrustedJson(std::string_view text, const std::string& context, int max_depth) {
  if (jsonNestingDepth(text, max_depth) > max_depth) {
    throw Error(ErrorCategory::MalformedFile,
                context + " nests JSON deeper than " + std::to_string(max_depth) + " levels");
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& error) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag; the rest says where and why.
    std::string what = error.what();
    if (const auto tag_end = what.find("] "); what.starts_with("[json.") && tag_end != std::string::npos) {
      what.erase(0, tag_end + 2);
    }
    throw Error(ErrorCategory::MalformedFile, context + " is not valid JSON: " + what);
  }
}

}  // namespace moescope::checkpoint
