#pragma once
// The "post_processor" of tokenizer.json, reduced to what it does to the ids of one sequence:
// ids put before and after it (BOS, CLS/SEP). Supported: TemplateProcessing, ByteLevel (no ids),
// RobertaProcessing, BertProcessing, Sequence.
#include <cstdint>
#include <string>
#include <vector>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer::hf {

struct SequenceFrame {
  std::vector<uint32_t> before;
  std::vector<uint32_t> after;
  std::vector<std::string> before_tokens;  // for describe(): "<s>"
  std::vector<std::string> after_tokens;
};

SequenceFrame parsePostProcessor(const Json& value, const std::string& context);

}  // namespace moescope::tokenizer::hf
