#include "core/tokenizer/hf_pre_tokenizers.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/pcre2_regex.h"

namespace moescope::tokenizer::hf {
namespace {

// GPT-2's pattern, which the ByteLevel pre-tokenizer of tokenizers applies when use_regex is set.
constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
// Rust's char predicates, as patterns: is_whitespace, is_numeric, and the punctuation test of
// tokenizers (ASCII punctuation or a Unicode P* category).
constexpr std::string_view kWhitespaceChar = R"(\p{White_Space})";
constexpr std::string_view kNumericChar = R"(\p{N})";
constexpr std::string_view kPunctuationChar = R"([\p{P}!-/:-@\[-`{-~])";
// Rust regex's \w+|[^\w\s]+ (the Whitespace pre-tokenizer), whose \w is Unicode's.
constexpr std::string_view kRustWordsOrSymbols =
    R"([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]+)";

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

struct Segment {
  size_t start = 0;
  size_t end = 0;
  bool flag = false;  // a match, or (after applying a behavior) to be removed
};

Behavior parseBehavior(const Json& object, const std::string& context, Behavior fallback) {
  const auto name = optionalString(object, "behavior", context);
  if (!name) return fallback;
  if (*name == "Removed") return Behavior::Removed;
  if (*name == "Isolated") return Behavior::Isolated;
  if (*name == "MergedWithPrevious") return Behavior::MergedWithPrevious;
  if (*name == "MergedWithNext") return Behavior::MergedWithNext;
  if (*name == "Contiguous") return Behavior::Contiguous;
  fail(context, "field \"behavior\" must be Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous, found \"" +
                    *name + "\"");
}

// tokenizers' Pattern::find_matches: the matches and the text between them, covering it all.
std::vector<Segment> segmentsOf(const std::vector<RegexMatch>& matches, size_t size, bool invert) {
  std::vector<Segment> segments;
  if (size == 0) return {{0, 0, invert}};
  size_t previous = 0;
  for (const RegexMatch& m : matches) {
    if (previous != m.start) segments.push_back({previous, m.start, invert});
    segments.push_back({m.start, m.end, !invert});
    previous = m.end;
  }
  if (previous != size) segments.push_back({previous, size, invert});
  return segments;
}

// NormalizedString::split: which pieces to keep, as (offsets, remove) pairs.
std::vector<Segment> applyBehavior(const std::vector<Segment>& matches, Behavior behavior) {
  std::vector<Segment> out;
  switch (behavior) {
    case Behavior::Isolated:
      for (Segment s : matches) out.push_back({s.start, s.end, false});
      return out;
    case Behavior::Removed:
      return matches;
    case Behavior::Contiguous: {
      bool previous = false;
      for (const Segment& s : matches) {
        if (s.flag == previous && !out.empty()) out.back().end = s.end;
        else out.push_back({s.start, s.end, false});
        previous = s.flag;
      }
      return out;
    }
    case Behavior::MergedWithPrevious: {
      bool previous = false;
      for (const Segment& s : matches) {
        if (s.flag && !previous && !out.empty()) out.back().end = s.end;
        else out.push_back({s.start, s.end, false});
        previous = s.flag;
      }
      return out;
    }
    case Behavior::MergedWithNext: {
      bool previous = false;
      for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
        if (it->flag && !previous && !out.empty()) out.back().start = it->start;
        else out.push_back({it->start, it->end, false});
        previous = it->flag;
      }
      return {out.rbegin(), out.rend()};
    }
  }
  return out;
}

void cut(const Word& word, const std::vector<Segment>& kept, std::vector<Word>& out) {
  for (const Segment& s : kept) {
    if (s.flag || s.end <= s.start) continue;
    out.push_back({word.text.substr(s.start, s.end - s.start), word.at_text_start && s.start == 0});
  }
}

// A pattern (regex or a character predicate) and what to do with its matches.
class PatternSplit final : public PreTokenizer {
 public:
  PatternSplit(std::string_view pattern, Behavior behavior, bool invert, const std::string& context)
      : regex_(pattern, context), behavior_(behavior), invert_(invert) {}
  void preTokenize(std::vector<Word>& words) const override {
    std::vector<Word> out;
    out.reserve(words.size());
    for (const Word& word : words)
      cut(word, applyBehavior(segmentsOf(regex_.findAll(word.text), word.text.size(), invert_), behavior_), out);
    words = std::move(out);
  }

 private:
  Pcre2Regex regex_;
  Behavior behavior_;
  bool invert_;
};

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void preTokenize(std::vector<Word>& words) const override {
    for (const auto& step : steps_) step->preTokenize(words);
  }
  bool isByteLevel() const override {
    for (const auto& step : steps_)
      if (step->isByteLevel()) return true;
    return false;
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

class ByteLevelPreTokenizer final : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex, const std::string& context)
      : add_prefix_space_(add_prefix_space) {
    if (use_regex) regex_ = std::make_unique<PatternSplit>(kGpt2Pattern, Behavior::Isolated, false, context);
  }
  void preTokenize(std::vector<Word>& words) const override {
    if (add_prefix_space_)
      for (Word& word : words)
        if (word.text.empty() || word.text[0] != ' ') {
          std::string spaced;
          spaced.reserve(word.text.size() + 1);
          spaced += ' ';
          spaced += word.text;
          word.text = std::move(spaced);
        }
    if (regex_) regex_->preTokenize(words);
    for (Word& word : words) word.text = toByteLevel(word.text);
  }
  bool isByteLevel() const override { return true; }

 private:
  bool add_prefix_space_;
  std::unique_ptr<PatternSplit> regex_;
};

class MetaspacePreTokenizer final : public PreTokenizer {
 public:
  enum class Prepend { Always, First, Never };
  MetaspacePreTokenizer(std::string replacement, Prepend prepend, bool split, const std::string& context)
      : replacement_(std::move(replacement)), prepend_(prepend) {
    if (split)
      splitter_ = std::make_unique<PatternSplit>(escapeRegexLiteral(replacement_), Behavior::MergedWithNext, false,
                                                 context);
  }
  void preTokenize(std::vector<Word>& words) const override {
    for (Word& word : words) {
      std::string replaced;
      replaced.reserve(word.text.size() + replacement_.size());
      for (char c : word.text) {
        if (c == ' ') replaced += replacement_;
        else replaced += c;
      }
      const bool starts = replaced.compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && (prepend_ == Prepend::Always || (prepend_ == Prepend::First && word.at_text_start)))
        replaced.insert(0, replacement_);
      word.text = std::move(replaced);
    }
    if (splitter_) splitter_->preTokenize(words);
  }

 private:
  std::string replacement_;
  Prepend prepend_;
  std::unique_ptr<PatternSplit> splitter_;
};

std::unique_ptr<PreTokenizer> parseMetaspace(const Json& value, const std::string& context) {
  const std::string replacement = requireString(value, "replacement", context);
  size_t characters = 0;
  for (char c : replacement) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (characters != 1)
    fail(context, "field \"replacement\" must be one character, found \"" + replacement + "\"");
  auto prepend = MetaspacePreTokenizer::Prepend::Always;
  if (const auto scheme = optionalString(value, "prepend_scheme", context)) {
    if (*scheme == "first") prepend = MetaspacePreTokenizer::Prepend::First;
    else if (*scheme == "never") prepend = MetaspacePreTokenizer::Prepend::Never;
    else if (*scheme != "always")
      fail(context, "field \"prepend_scheme\" must be first, always or never, found \"" + *scheme + "\"");
  }
  // Files from before prepend_scheme say add_prefix_space; false must then agree with it.
  if (findField(value, "add_prefix_space") && !optionalBool(value, "add_prefix_space", true, context)) {
    if (prepend != MetaspacePreTokenizer::Prepend::Never && value.contains("prepend_scheme"))
      fail(context, "add_prefix_space false does not match prepend_scheme");
    if (!value.contains("prepend_scheme"))
      fail(context, "add_prefix_space false does not match the default prepend_scheme \"always\"");
    prepend = MetaspacePreTokenizer::Prepend::Never;
  }
  return std::make_unique<MetaspacePreTokenizer>(replacement, prepend, optionalBool(value, "split", true, context),
                                                 context);
}

std::unique_ptr<PreTokenizer> parseSplit(const Json& value, const std::string& context) {
  const Json& pattern = requireObject(requireField(value, "pattern", context), context + ".pattern");
  std::string regex;
  if (pattern.contains("Regex")) regex = requireString(pattern, "Regex", context + ".pattern");
  else if (pattern.contains("String")) regex = escapeRegexLiteral(requireString(pattern, "String", context + ".pattern"));
  else fail(context, "field \"pattern\" must hold \"String\" or \"Regex\", found " + describeValue(pattern));
  if (!value.contains("behavior")) fail(context, "field \"behavior\" is missing");
  if (!value.contains("invert")) fail(context, "field \"invert\" is missing");
  return std::make_unique<PatternSplit>(regex, parseBehavior(value, context, Behavior::Isolated),
                                        optionalBool(value, "invert", false, context), context);
}

}  // namespace

std::unique_ptr<PreTokenizer> parsePreTokenizer(const Json& value, const std::string& context) {
  const std::string type = requireType(value, context);
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(optionalBool(value, "add_prefix_space", true, context),
                                                   optionalBool(value, "use_regex", true, context), context);
  if (type == "Split") return parseSplit(value, context);
  if (type == "Sequence") {
    const Json& list = requireField(value, "pretokenizers", context);
    if (!list.is_array()) fail(context, "field \"pretokenizers\" must be an array, found " + describeValue(list));
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    for (size_t i = 0; i < list.size(); ++i)
      steps.push_back(parsePreTokenizer(list[i], context + ".pretokenizers[" + std::to_string(i) + "]"));
    return std::make_unique<SequencePreTokenizer>(std::move(steps));
  }
  if (type == "Digits") {
    const bool individual = optionalBool(value, "individual_digits", false, context);
    return std::make_unique<PatternSplit>(kNumericChar, individual ? Behavior::Isolated : Behavior::Contiguous, false,
                                          context);
  }
  if (type == "Metaspace") return parseMetaspace(value, context);
  if (type == "Whitespace")
    return std::make_unique<PatternSplit>(kRustWordsOrSymbols, Behavior::Removed, true, context);
  if (type == "WhitespaceSplit")
    return std::make_unique<PatternSplit>(kWhitespaceChar, Behavior::Removed, false, context);
  if (type == "Punctuation")
    return std::make_unique<PatternSplit>(kPunctuationChar, parseBehavior(value, context, Behavior::Isolated), false,
                                          context);
  if (type == "CharDelimiterSplit") {
    const std::string delimiter = requireString(value, "delimiter", context);
    return std::make_unique<PatternSplit>(escapeRegexLiteral(delimiter), Behavior::Removed, false, context);
  }
  if (type == "BertPreTokenizer") {
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    steps.push_back(std::make_unique<PatternSplit>(kWhitespaceChar, Behavior::Removed, false, context));
    steps.push_back(std::make_unique<PatternSplit>(kPunctuationChar, Behavior::Isolated, false, context));
    return std::make_unique<SequencePreTokenizer>(std::move(steps));
  }
  fail(context, "pre-tokenizer type \"" + type +
                    "\" is not supported (supported: ByteLevel, Split, Sequence, Digits, Metaspace, Whitespace, "
                    "WhitespaceSplit, Punctuation, CharDelimiterSplit, BertPreTokenizer)");
}

}  // namespace moescope::tokenizer::hf
