#pragma once
// Typed reads of a GGUF file's metadata for code that needs a key to be of one type (the
// metadata as a model config, the tokenizer): a key of another type is an Error of the caller's
// category naming the file, the key and what was found. Absent keys read as nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/gguf_file.h"
#include "core/error.h"

namespace moescope::checkpoint {

class GgufKeys {
 public:
  GgufKeys(const GgufFile& file, ErrorCategory category) : file_(file), category_(category) {}

  const GgufFile& file() const { return file_; }
  const GgufValue* find(std::string_view key) const { return file_.find(key); }
  // "<file>: metadata key \"<key>\" <problem>"
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const;

  std::optional<std::string> text(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  // An integer that llama.cpp may also write per layer: an array whose entries all agree reads
  // as that entry; entries that differ are refused.
  std::optional<std::int64_t> perLayerInteger(std::string_view key) const;
  std::optional<double> number(std::string_view key) const;  // any integer or float type
  std::optional<bool> flag(std::string_view key) const;
  std::optional<std::vector<std::string>> strings(std::string_view key) const;
  std::optional<std::vector<std::int64_t>> integers(std::string_view key) const;
  std::optional<std::vector<double>> numbers(std::string_view key) const;  // integers or floats

 private:
  [[noreturn]] void wrongType(std::string_view key, const GgufValue& value, const char* wanted) const;
  const GgufFile& file_;
  ErrorCategory category_;
};

}  // namespace moescope::checkpoint
