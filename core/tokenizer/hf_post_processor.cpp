#include "core/tokenizer/hf_post_processor.h"

#include <limits>

namespace moescope::tokenizer::hf {
namespace {

uint32_t parseId(const Json& value, const std::string& context) {
  if (!value.is_number_unsigned() || value.get<uint64_t>() > std::numeric_limits<uint32_t>::max())
    fail(context, "token id must be a non-negative integer, found " + describeValue(value));
  return value.get<uint32_t>();
}

// TemplateProcessing's "single" template: special tokens around the one "Sequence" piece.
SequenceFrame parseTemplate(const Json& value, const std::string& context) {
  const Json& single = requireField(value, "single", context);
  if (!single.is_array()) fail(context, "field \"single\" must be an array, found " + describeValue(single));
  const Json* specials = findField(value, "special_tokens");
  if (specials && !specials->is_object())
    fail(context, "field \"special_tokens\" must be an object, found " + describeValue(*specials));
  SequenceFrame frame;
  bool seen_sequence = false;
  for (size_t i = 0; i < single.size(); ++i) {
    const std::string where = context + ".single[" + std::to_string(i) + "]";
    const Json& piece = requireObject(single[i], where);
    if (piece.contains("Sequence")) {
      const std::string id = requireString(requireObject(piece["Sequence"], where), "id", where);
      if (id != "A") continue;  // sequence B only exists for pairs
      if (seen_sequence) fail(where, "a template that repeats the sequence is not supported");
      seen_sequence = true;
      continue;
    }
    if (!piece.contains("SpecialToken"))
      fail(where, "must be a \"SpecialToken\" or \"Sequence\" piece, found " + describeValue(piece));
    const std::string name = requireString(requireObject(piece["SpecialToken"], where), "id", where);
    const Json* special = specials ? findField(*specials, name) : nullptr;
    if (!special) fail(context, "special token \"" + name + "\" is used by the template but missing from special_tokens");
    const Json& ids = requireField(requireObject(*special, where), "ids", where);
    if (!ids.is_array()) fail(where, "field \"ids\" must be an array, found " + describeValue(ids));
    for (const Json& id : ids) (seen_sequence ? frame.after : frame.before).push_back(parseId(id, where));
    (seen_sequence ? frame.after_tokens : frame.before_tokens).push_back(name);
  }
  if (!seen_sequence) fail(context, "the single template has no {\"Sequence\": {\"id\": \"A\"}} piece");
  return frame;
}

// RobertaProcessing and BertProcessing: "cls": ["<s>", 0], "sep": ["</s>", 2].
SequenceFrame parseClsSep(const Json& value, const std::string& context) {
  SequenceFrame frame;
  for (const char* field : {"cls", "sep"}) {
    const Json& pair = requireField(value, field, context);
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string())
      fail(context, std::string("field \"") + field + "\" must be [token, id], found " + describeValue(pair));
    const bool before = std::string(field) == "cls";
    (before ? frame.before : frame.after).push_back(parseId(pair[1], context + "." + field));
    (before ? frame.before_tokens : frame.after_tokens).push_back(pair[0].get<std::string>());
  }
  return frame;
}

}  // namespace

SequenceFrame parsePostProcessor(const Json& value, const std::string& context) {
  const std::string type = requireType(value, context);
  if (type == "TemplateProcessing") return parseTemplate(value, context);
  if (type == "ByteLevel") return {};
  if (type == "RobertaProcessing" || type == "BertProcessing") return parseClsSep(value, context);
  if (type == "Sequence") {
    const Json& list = requireField(value, "processors", context);
    if (!list.is_array()) fail(context, "field \"processors\" must be an array, found " + describeValue(list));
    SequenceFrame frame;
    // Each processor wraps what the previous one produced.
    for (size_t i = 0; i < list.size(); ++i) {
      SequenceFrame inner = parsePostProcessor(list[i], context + ".processors[" + std::to_string(i) + "]");
      inner.before.insert(inner.before.end(), frame.before.begin(), frame.before.end());
      inner.before_tokens.insert(inner.before_tokens.end(), frame.before_tokens.begin(), frame.before_tokens.end());
      frame.before = std::move(inner.before);
      frame.before_tokens = std::move(inner.before_tokens);
      frame.after.insert(frame.after.end(), inner.after.begin(), inner.after.end());
      frame.after_tokens.insert(frame.after_tokens.end(), inner.after_tokens.begin(), inner.after_tokens.end());
    }
    return frame;
  }
  fail(context, "post-processor type \"" + type +
                    "\" is not supported (supported: TemplateProcessing, ByteLevel, RobertaProcessing, "
                    "BertProcessing, Sequence)");
}

}  // namespace moescope::tokenizer::hf
