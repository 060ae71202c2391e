#pragma once
// What makes two runs the same run: their arguments, model and tokens. A resume continues a
// run only when its fingerprint equals the interrupted one's, and says what differs otherwise.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pipeline/analysis_selection.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

// The fields that shards of one run differ in, or that merge reads back.
namespace fingerprint_field {
inline constexpr std::string_view kLayers = "layers";
inline constexpr std::string_view kTexts = "texts";
inline constexpr std::string_view kVocabularyTop = "vocabulary top";
}  // namespace fingerprint_field

struct RunFingerprint {
  // (what, value) in a fixed order, e.g. ("layers", "0-3,7"), ("tokens", "35 in 1 text, #9f2c...").
  std::vector<std::pair<std::string, std::string>> fields;
  bool operator==(const RunFingerprint&) const = default;
};

struct RunIdentity {
  std::filesystem::path model_dir;
  std::filesystem::path dense_reference;  // empty: none
  AnalysisSet analyses;
  std::vector<int> layers;
  const std::vector<std::vector<int64_t>>* texts = nullptr;  // token ids of every text
  std::string device, dtype;
  int vocabulary_top_n = 0;
  // A shard of a corpus's texts: which texts, e.g. "0-9 of 40"; empty: every text.
  std::string texts_part;
};

// The model is identified by its folder, its config.json's bytes and its weight files' names
// and sizes (reading every weight to hash it would cost a whole pass over the model).
RunFingerprint fingerprintRun(const RunIdentity& identity);

// One line per field that differs between `a` and `b` (or that one of them lacks), each value
// followed by its file's label: "layers: 0-7 before, 0-3 now" (a resume), "tokens: ... in
// p0.h5, ... in p1.h5" (a merge). `ignored`: fields not compared (a shard's layers and texts).
std::vector<std::string> fingerprintDifferences(const RunFingerprint& a, const RunFingerprint& b,
                                                const std::string& a_label = "before", const std::string& b_label = "now",
                                                const std::vector<std::string>& ignored = {});

// As root attributes of a results file (layout::attr::kFingerprintWhat / kFingerprintValue);
// reading a file without them gives an empty fingerprint.
void writeFingerprint(results::ResultsWriter& writer, const RunFingerprint& fingerprint);
RunFingerprint readFingerprint(const results::ResultsReader& reader);

// "0-3,7": a sorted layer list in the --layers syntax.
std::string layerListText(const std::vector<int>& layers);

}  // namespace moescope::pipeline
