#pragma once
// What a results file says about the run that produced it: its root attributes.
#include <cstdint>
#include <string>
#include <vector>

namespace moescope::results {

struct RunMetadata {
  // Set by the writer (layout::kFormatVersion); filled in by the reader from the file.
  int format_version = 0;
  std::string model;   // the model folder, as given
  std::string family;  // architecture family, e.g. "mixtral"
  int layers = 0;      // decoder layers of the model
  int experts = 0;     // routed experts per MoE layer
  int top_k = 0;
  std::string dtype;   // compute dtype, e.g. "float32"
  std::string device;  // e.g. "cpu", "cuda:0"
  std::string created;  // ISO 8601 UTC; the writer fills it in when empty
  std::vector<std::string> analyses;  // names of the analyses run
  std::string moescope_version;       // the writer fills it in (MOESCOPE_VERSION) when empty
  // What the run found wrong but went on despite, e.g. weights holding NaN; optional in the
  // file (absent = none), so files without it read as before.
  std::vector<std::string> warnings;
  // A GGUF model's quantisation ("GGUF: Q4_K 79%, Q6_K 15%, F32 6%"): the analyses ran on the
  // dequantised weights. Optional in the file; empty (absent) for safetensors models.
  std::string quantisation;
  // A generation's results (generate): the position of the first generated token (-1: the
  // tokens are all given text) and how the tokens were drawn ("greedy; stopped at the end of
  // sequence"). Optional in the file.
  int64_t generation_start = -1;
  std::string generation;

  bool operator==(const RunMetadata&) const = default;
};

// Now, as "2024-06-30T12:34:56Z".
std::string isoUtcNow();

}  // namespace moescope::results
