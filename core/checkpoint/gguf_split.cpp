#include "core/checkpoint/gguf_split.h"

#include <optional>
#include <cstdio>
#include <regex>
#include <string>
#include <unordered_map>

#include "core/error.h"

namespace moescope::checkpoint {

namespace {

std::string partName(const std::string& stem, int part, int count) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "-%05d-of-%05d.gguf", part, count);
  return stem + suffix;
}

std::optional<std::int64_t> integer(const GgufFile& file, std::string_view key) {
  const GgufValue* value = file.find(key);
  return value ? value->asInt() : std::nullopt;
}

// The split name of `path`, its part numbers checked; none for a model of one file.
std::optional<GgufSplitName> checkedSplitName(const std::filesystem::path& path) {
  auto split = parseGgufSplitName(path.filename().string());
  if (split && (split->count < 1 || split->part < 1 || split->part > split->count)) {
    char parts[32];
    std::snprintf(parts, sizeof parts, "%05d of %05d", split->part, split->count);
    throw Error(ErrorCategory::MalformedFile, path.string() + ": the name says part " + std::string(parts));
  }
  return split;
}

}  // namespace

std::optional<GgufSplitName> parseGgufSplitName(const std::string& file_name) {
  static const std::regex kSplitName(R"((.*)-(\d{5})-of-(\d{5})\.gguf)");
  std::smatch match;
  if (!std::regex_match(file_name, match, kSplitName)) return std::nullopt;
  return GgufSplitName{match[1].str(), std::stoi(match[2].str()), std::stoi(match[3].str())};
}

std::string ggufModelName(const std::filesystem::path& file) {
  const auto split = parseGgufSplitName(file.filename().string());
  return split ? split->stem : file.stem().string();
}

std::filesystem::path ggufFirstPart(const std::filesystem::path& path) {
  const auto split = checkedSplitName(path);
  return split ? path.parent_path() / partName(split->stem, 1, split->count) : path;
}

std::vector<std::shared_ptr<const GgufFile>> openGgufParts(const std::filesystem::path& path) {
  const auto split = checkedSplitName(path);
  if (!split) return {GgufFile::open(path)};
  const std::string& stem = split->stem;
  const int count = split->count;
  std::vector<std::shared_ptr<const GgufFile>> parts;
  std::unordered_map<std::string, std::string> owner;  // tensor -> file
  std::int64_t tensors = 0;
  for (int part = 1; part <= count; ++part) {
    const std::filesystem::path file_path = path.parent_path() / partName(stem, part, count);
    std::error_code error;
    if (!std::filesystem::exists(file_path, error))
      throw Error(ErrorCategory::MalformedFile, file_path.string() + " is missing: the model is split into " +
                                                    std::to_string(count) + " files and each is needed");
    auto file = GgufFile::open(file_path);
    const auto no = integer(*file, "split.no"), of = integer(*file, "split.count");
    if (no && of && (*no != part - 1 || *of != count))
      throw Error(ErrorCategory::MalformedFile, file_path.string() + " says it is part " + std::to_string(*no + 1) + " of " +
                                                    std::to_string(*of) + ", but its name says part " +
                                                    std::to_string(part) + " of " + std::to_string(count));
    for (const GgufTensorInfo& tensor : file->tensors()) {
      const auto [it, added] = owner.emplace(tensor.name, file_path.filename().string());
      if (!added)
        throw Error(ErrorCategory::MalformedFile, "tensor '" + tensor.name + "' is in both " + it->second + " and " +
                                                      file_path.filename().string());
    }
    tensors += static_cast<std::int64_t>(file->tensors().size());
    parts.push_back(std::move(file));
  }
  if (const auto expected = integer(*parts.front(), "split.tensors.count"); expected && *expected != tensors)
    throw Error(ErrorCategory::MalformedFile, parts.front()->path().string() + " says the model has " +
                                                  std::to_string(*expected) + " tensors, but its " + std::to_string(count) +
                                                  " parts hold " + std::to_string(tensors));
  return parts;
}

}  // namespace moescope::checkpoint
