#include "core/tokenizer/hf_normalizers.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/pcre2_regex.h"
#include "core/tokenizer/unicode_chars.h"
#include "core/tokenizer/unicode_normalization.h"

namespace moescope::tokenizer::hf {
namespace {

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(std::string& text) const override {
    for (const auto& step : steps_) step->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

class FunctionNormalizer final : public Normalizer {
 public:
  explicit FunctionNormalizer(std::string (*function)(std::string_view)) : function_(function) {}
  void normalize(std::string& text) const override { text = function_(text); }

 private:
  std::string (*function_)(std::string_view);
};

class PrependNormalizer final : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);  // tokenizers leaves empty text alone
  }

 private:
  std::string prefix_;
};

class ReplaceNormalizer final : public Normalizer {
 public:
  ReplaceNormalizer(std::string pattern, bool is_regex, std::string content, const std::string& context)
      : literal_(is_regex ? std::string() : pattern), content_(std::move(content)) {
    // An empty literal matches between characters, as the regex it becomes in tokenizers does.
    if (is_regex || pattern.empty())
      regex_ = std::make_unique<Pcre2Regex>(is_regex ? pattern : escapeRegexLiteral(pattern), context);
  }
  void normalize(std::string& text) const override {
    std::string out;
    size_t last = 0;
    if (regex_) {
      for (const RegexMatch& m : regex_->findAll(text)) {
        out.append(text, last, m.start - last);
        out += content_;
        last = m.end;
      }
    } else {
      for (size_t at = text.find(literal_); at != std::string::npos; at = text.find(literal_, last)) {
        out.append(text, last, at - last);
        out += content_;
        last = at + literal_.size();
      }
    }
    if (last == 0 && out.empty()) return;
    out.append(text, last, std::string::npos);
    text = std::move(out);
  }

 private:
  std::string literal_;
  std::string content_;
  std::unique_ptr<Pcre2Regex> regex_;
};

class StripNormalizer final : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    size_t begin = 0;
    size_t end = text.size();
    size_t length = 0;
    if (left_)
      while (begin < end && isWhiteSpace(codePointAt(text, begin, &length))) begin += length;
    if (right_)
      while (end > begin) {
        size_t lead = end - 1;
        while (lead > begin && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) --lead;
        if (!isWhiteSpace(codePointAt(text, lead, &length))) break;
        end = lead;
      }
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class ByteLevelNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override { text = toByteLevel(text); }
};

std::unique_ptr<Normalizer> parseReplace(const Json& value, const std::string& context) {
  const Json& pattern = requireObject(requireField(value, "pattern", context), context + ".pattern");
  const std::string content = requireString(value, "content", context);
  if (pattern.contains("String"))
    return std::make_unique<ReplaceNormalizer>(requireString(pattern, "String", context + ".pattern"), false, content,
                                               context);
  if (pattern.contains("Regex"))
    return std::make_unique<ReplaceNormalizer>(requireString(pattern, "Regex", context + ".pattern"), true, content,
                                               context);
  fail(context, "field \"pattern\" must hold \"String\" or \"Regex\", found " + describeValue(pattern));
}

}  // namespace

std::unique_ptr<Normalizer> parseNormalizer(const Json& value, const std::string& context) {
  const std::string type = requireType(value, context);
  if (type == "Sequence") {
    const Json& list = requireField(value, "normalizers", context);
    if (!list.is_array()) fail(context, "field \"normalizers\" must be an array, found " + describeValue(list));
    std::vector<std::unique_ptr<Normalizer>> steps;
    for (size_t i = 0; i < list.size(); ++i)
      steps.push_back(parseNormalizer(list[i], context + ".normalizers[" + std::to_string(i) + "]"));
    return std::make_unique<SequenceNormalizer>(std::move(steps));
  }
  if (type == "NFC") return std::make_unique<FunctionNormalizer>(&toNfc);
  if (type == "NFD") return std::make_unique<FunctionNormalizer>(&toNfd);
  if (type == "Lowercase") return std::make_unique<FunctionNormalizer>(&toLowercase);
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(requireString(value, "prepend", context));
  if (type == "Replace") return parseReplace(value, context);
  if (type == "Strip")
    return std::make_unique<StripNormalizer>(optionalBool(value, "strip_left", false, context),
                                             optionalBool(value, "strip_right", false, context));
  if (type == "ByteLevel") return std::make_unique<ByteLevelNormalizer>();
  fail(context, "normalizer type \"" + type +
                    "\" is not supported (supported: Sequence, NFC, NFD, Lowercase, Prepend, Replace, Strip, "
                    "ByteLevel)");
}

}  // namespace moescope::tokenizer::hf
