#include "core/pipeline/run_fingerprint.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "core/checkpoint/gguf_split.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: a cheap, stable name for a content, not a defence against forgery.
class Fnv1a {
 public:
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ull;
  }
  void add(const std::string& text) { add(text.data(), text.size() + 1); }  // with its end
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ull;
};

std::string resolvedPath(const fs::path& path) {
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(path, error);
  return (error ? path : resolved).string();
}

// "config #<hash>, weights #<hash> (N files)": what identifies a model folder's contents.
std::string folderContents(const fs::path& dir) {
  std::error_code file_error;
  if (fs::is_regular_file(dir, file_error)) {
    // A GGUF file: the names and sizes of its model's files (every part of a split one) stand
    // for its contents.
    std::map<std::string, uintmax_t> parts;
    const std::string model = checkpoint::ggufModelName(dir);
    std::error_code list_error;
    for (const auto& entry : fs::directory_iterator(dir.parent_path().empty() ? fs::path(".") : dir.parent_path(), list_error))
      if (entry.path().extension() == ".gguf" && checkpoint::parseGgufSplitName(entry.path().filename().string()) &&
          checkpoint::ggufModelName(entry.path()) == model)
        parts[entry.path().filename().string()] = entry.file_size(list_error);
    if (parts.empty()) parts[dir.filename().string()] = fs::file_size(dir, file_error);
    Fnv1a file;
    for (const auto& [name, size] : parts) file.add(name + ":" + std::to_string(size));
    return "file #" + file.hex() + (parts.size() > 1 ? " (" + std::to_string(parts.size()) + " parts)" : std::string());
  }
  Fnv1a config;
  std::ifstream in(dir / "config.json", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  config.add(bytes);
  std::map<std::string, uintmax_t> weights;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".safetensors")) weights[name] = entry.file_size(error);
  }
  Fnv1a files;
  for (const auto& [name, size] : weights) files.add(name + ":" + std::to_string(size));
  return "config #" + config.hex() + ", weights #" + files.hex() + " (" + std::to_string(weights.size()) + " files)";
}

}  // namespace

std::string layerListText(const std::vector<int>& layers) {
  std::string text;
  for (std::size_t i = 0; i < layers.size();) {
    std::size_t j = i;
    while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += std::to_string(layers[i]);
    if (j > i) text += "-" + std::to_string(layers[j]);
    i = j + 1;
  }
  return text;
}

RunFingerprint fingerprintRun(const RunIdentity& identity) {
  RunFingerprint fingerprint;
  auto& f = fingerprint.fields;
  f.emplace_back("model", resolvedPath(identity.model_dir));
  f.emplace_back("model contents", folderContents(identity.model_dir));
  f.emplace_back("dense reference", identity.dense_reference.empty()
                                        ? std::string("none")
                                        : resolvedPath(identity.dense_reference) + ", " + folderContents(identity.dense_reference));
  std::string analyses;
  for (const auto& name : identity.analyses.names()) analyses += (analyses.empty() ? "" : ",") + name;
  f.emplace_back("analyses", analyses);
  f.emplace_back(fingerprint_field::kLayers, layerListText(identity.layers));
  Fnv1a ids;
  int64_t count = 0;
  const std::size_t texts = identity.texts ? identity.texts->size() : 0;
  if (identity.texts)
    for (const auto& text : *identity.texts) {
      ids.add(text.data(), text.size() * sizeof(int64_t));
      ids.add("|");  // where one text ends
      count += static_cast<int64_t>(text.size());
    }
  f.emplace_back("tokens", std::to_string(count) + " in " + std::to_string(texts) + (texts == 1 ? " text" : " texts") +
                               ", #" + ids.hex());
  f.emplace_back("device", identity.device);
  f.emplace_back("dtype", identity.dtype);
  f.emplace_back(fingerprint_field::kVocabularyTop, std::to_string(identity.vocabulary_top_n));
  if (!identity.texts_part.empty()) f.emplace_back(fingerprint_field::kTexts, identity.texts_part);
  return fingerprint;
}

void writeFingerprint(results::ResultsWriter& writer, const RunFingerprint& fingerprint) {
  std::vector<std::string> what, value;
  for (const auto& [w, v] : fingerprint.fields) what.push_back(w), value.push_back(v);
  writer.setAttribute(results::layout::kRoot, results::layout::attr::kFingerprintWhat, AttributeValue(what));
  writer.setAttribute(results::layout::kRoot, results::layout::attr::kFingerprintValue, AttributeValue(value));
}

RunFingerprint readFingerprint(const results::ResultsReader& reader) {
  const auto strings = [&](std::string_view key) {
    return reader.attributeAs<std::vector<std::string>>(results::layout::kRoot, key).value_or(std::vector<std::string>{});
  };
  const auto what = strings(results::layout::attr::kFingerprintWhat);
  const auto value = strings(results::layout::attr::kFingerprintValue);
  RunFingerprint fingerprint;
  for (std::size_t i = 0; i < what.size() && i < value.size(); ++i) fingerprint.fields.emplace_back(what[i], value[i]);
  return fingerprint;
}

std::vector<std::string> fingerprintDifferences(const RunFingerprint& a, const RunFingerprint& b, const std::string& a_label,
                                                const std::string& b_label, const std::vector<std::string>& ignored) {
  const std::map<std::string, std::string> in_a(a.fields.begin(), a.fields.end());
  const std::map<std::string, std::string> in_b(b.fields.begin(), b.fields.end());
  const auto compared = [&](const std::string& what) { return std::find(ignored.begin(), ignored.end(), what) == ignored.end(); };
  std::vector<std::string> lines;
  for (const auto& [what, value] : b.fields) {
    if (!compared(what)) continue;
    const auto it = in_a.find(what);
    const std::string was = it == in_a.end() ? "(not recorded)" : it->second;
    if (was != value) lines.push_back(what + ": " + was + " " + a_label + ", " + value + " " + b_label);
  }
  for (const auto& [what, value] : a.fields)
    if (compared(what) && !in_b.contains(what)) lines.push_back(what + ": " + value + " " + a_label + ", (not recorded) " + b_label);
  return lines;
}

}  // namespace moescope::pipeline
