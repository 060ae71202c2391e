#include "core/tokenizer/pcre2_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <chrono>

#include "core/error.h"
#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

// Oniguruma's \w: measured against tokenizers, it takes marks, every number and connector
// punctuation, but not the joiners U+200C/U+200D.
constexpr std::string_view kWordChars = R"(\p{L}\p{M}\p{N}\p{Pc})";
constexpr std::string_view kHexChars = "0-9a-fA-F";

// Enough for any honest tokenizer regex on any text (each match is short), small enough that
// "(a+)+$" on forty letters stops within a fraction of a second.
constexpr uint32_t kMatchLimit = 20'000'000;
constexpr uint32_t kDepthLimit = 100'000;
constexpr PCRE2_SIZE kHeapLimitKiB = 64 * 1024;
constexpr PCRE2_SIZE kJitStackMax = 4 << 20;
// The match limit bounds one search; a text can still hold thousands of places that each cost
// just under it. Honest tokenizer regexes scan tens of MB/s, so this budget for all the searches
// of one text is two orders of magnitude above need.
// pcre2_match applies the match limit afresh at every start position it tries, so a callout at
// the pattern's start counts those attempts and checks the clock now and then.
constexpr double kBudgetSeconds = 2.0;
constexpr double kBudgetSecondsPerMiB = 1.0;
constexpr uint32_t kAttemptsPerClockCheck = 1024;

struct Budget {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  double seconds;
  uint32_t attempts = 0;
  bool exceeded = false;

  explicit Budget(size_t bytes) : seconds(kBudgetSeconds + kBudgetSecondsPerMiB * static_cast<double>(bytes) / (1 << 20)) {}

  static int check(pcre2_callout_block*, void* data) {
    auto* budget = static_cast<Budget*>(data);
    if (++budget->attempts % kAttemptsPerClockCheck != 0) return 0;
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - budget->started).count();
    if (spent <= budget->seconds) return 0;
    budget->exceeded = true;
    return PCRE2_ERROR_CALLOUT;
  }
};

std::string shortPattern(std::string_view pattern) {
  constexpr size_t kShown = 80;
  if (pattern.size() <= kShown) return std::string(pattern);
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(pattern[cut]) & 0xC0) == 0x80) --cut;
  return std::string(pattern.substr(0, cut)) + "...";
}

std::string pcre2Message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(buffer);
}

struct JitStackDeleter {
  void operator()(pcre2_jit_stack* stack) const { pcre2_jit_stack_free(stack); }
};

// One JIT stack per thread: creating one per match would cost an mmap each time.
pcre2_jit_stack* threadJitStack() {
  thread_local std::unique_ptr<pcre2_jit_stack, JitStackDeleter> stack(
      pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr));
  return stack.get();
}

// "(?im-x:" and "(?m)" flag groups: Ruby's m is PCRE2's s.
size_t translateFlagGroup(std::string_view pattern, size_t at, std::string& out) {
  size_t end = at + 2;
  while (end < pattern.size() && (pattern[end] == 'i' || pattern[end] == 'm' || pattern[end] == 'x' ||
                                  pattern[end] == '-'))
    ++end;
  if (end == at + 2 || end >= pattern.size() || (pattern[end] != ')' && pattern[end] != ':')) return 0;
  out += "(?";
  for (size_t k = at + 2; k < end; ++k) out += pattern[k] == 'm' ? 's' : pattern[k];
  return end - at;
}

// `body` as a class ("[body]", "[^body]"), or bare when already inside one.
void appendClass(std::string& out, bool inside, bool negate, std::string_view body) {
  if (!inside) out += negate ? "[^" : "[";
  out += body;
  if (!inside) out += ']';
}

// \b (or \B) for Oniguruma's word characters, by lookarounds.
void appendBoundary(std::string& out, bool boundary) {
  const auto look = [&](std::string_view open) {
    out += open;
    appendClass(out, false, false, kWordChars);
    out += ')';
  };
  out += "(?:";
  look("(?<=");
  look(boundary ? "(?!" : "(?=");
  out += '|';
  look("(?<!");
  look(boundary ? "(?=" : "(?!");
  out += ')';
}

}  // namespace

std::string translateOnigurumaPattern(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 32);
  bool in_class = false;
  size_t class_start = 0;  // where a ']' would still be a literal
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[i + 1];
      if (e == 'Q') {  // \Q...\E is literal text, copied untouched
        const size_t close = pattern.find("\\E", i + 2);
        const size_t stop = close == std::string_view::npos ? pattern.size() : close + 2;
        out.append(pattern.substr(i, stop - i));
        i = stop;
        continue;
      }
      if (e == 's') out += "\\p{White_Space}";
      else if (e == 'S') out += "\\P{White_Space}";
      else if (e == 'w') appendClass(out, in_class, false, kWordChars);
      else if (e == 'W' && !in_class) appendClass(out, false, true, kWordChars);
      else if (e == 'h') appendClass(out, in_class, false, kHexChars);
      else if (e == 'H' && !in_class) appendClass(out, false, true, kHexChars);
      else if (e == 'b' && !in_class) appendBoundary(out, true);
      else if (e == 'B' && !in_class) appendBoundary(out, false);
      else out.append(pattern.substr(i, 2));
      i += 2;
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {  // [:alpha:]
        const size_t close = pattern.find(":]", i + 2);
        if (close != std::string_view::npos) {
          out.append(pattern.substr(i, close + 2 - i));
          i = close + 2;
          continue;
        }
      }
      if (c == ']' && i != class_start) in_class = false;
      out += c;
      ++i;
      continue;
    }
    if (c == '[') {
      in_class = true;
      class_start = i + 1;
      if (class_start < pattern.size() && pattern[class_start] == '^') ++class_start;
      out += c;
      ++i;
      continue;
    }
    if (c == '(' && i + 1 < pattern.size() && pattern[i + 1] == '?') {
      if (const size_t used = translateFlagGroup(pattern, i, out)) {
        i += used;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

std::string escapeRegexLiteral(std::string_view literal) {
  std::string out;
  out.reserve(literal.size() * 2);
  for (char c : literal) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (u < 0x80 && !alnum && u >= 0x20) out += '\\';
    if (u < 0x20) {  // control characters as \x{..}: a backslash before them is not portable
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x{";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
      out += '}';
      continue;
    }
    out += c;
  }
  return out;
}

struct Pcre2Regex::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* match_context = nullptr;
  bool jit = false;
  ~Compiled() {
    pcre2_match_context_free(match_context);
    pcre2_code_free(code);
  }
};

Pcre2Regex::Pcre2Regex(std::string_view oniguruma_pattern, std::string context)
    : compiled_(std::make_unique<Compiled>()), pattern_(oniguruma_pattern), context_(std::move(context)) {
  for (size_t i = 0; i < pattern_.size();) {
    const size_t length = utf8SequenceLength(pattern_, i);
    if (length == 0) throw Error(ErrorCategory::Tokenizer, context_ + ": regex is not valid UTF-8");
    i += length;
  }
  // (?C1) runs Budget::check at every start position that is tried: the first alternative
  // begins with it, and every attempt tries the first alternative first.
  const std::string translated = "(?C1)" + translateOnigurumaPattern(pattern_);
  int code = 0;
  PCRE2_SIZE offset = 0;
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                  PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &code, &offset, nullptr);
  if (!compiled_->code)
    throw Error(ErrorCategory::Tokenizer, context_ + ": invalid regex /" + shortPattern(pattern_) + "/: " +
                                              pcre2Message(code) + " at offset " + std::to_string(offset) +
                                              " (of the pattern as PCRE2 sees it)");
  // JIT is an optimisation only: where it is missing or refuses the pattern, the interpreter runs.
  compiled_->jit = pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE) == 0;
  compiled_->match_context = pcre2_match_context_create(nullptr);
  if (!compiled_->match_context) throw Error(ErrorCategory::OutOfMemory, context_ + ": cannot allocate a regex context");
  pcre2_set_match_limit(compiled_->match_context, kMatchLimit);
  pcre2_set_depth_limit(compiled_->match_context, kDepthLimit);
  pcre2_set_heap_limit(compiled_->match_context, kHeapLimitKiB);
}

Pcre2Regex::~Pcre2Regex() = default;

std::vector<RegexMatch> Pcre2Regex::findAll(std::string_view text) const {
  std::vector<RegexMatch> matches;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(compiled_->code, nullptr), &pcre2_match_data_free);
  if (!data) throw Error(ErrorCategory::OutOfMemory, context_ + ": cannot allocate regex match data");
  // The match context is shared between threads; a per-call copy carries this call's budget
  // and this thread's JIT stack.
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> local(
      pcre2_match_context_copy(compiled_->match_context), &pcre2_match_context_free);
  if (!local) throw Error(ErrorCategory::OutOfMemory, context_ + ": cannot allocate a regex context");
  pcre2_match_context* context = local.get();
  if (compiled_->jit) pcre2_jit_stack_assign(context, nullptr, threadJitStack());
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  size_t position = 0;
  bool have_last = false;
  size_t last_end = 0;
  Budget budget(text.size());
  pcre2_set_callout(context, &Budget::check, &budget);
  while (position <= text.size()) {
    const int rc = pcre2_match(compiled_->code, subject, text.size(), position, PCRE2_NO_UTF_CHECK, data.get(), context);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc == PCRE2_ERROR_CALLOUT && budget.exceeded)
      throw Error(ErrorCategory::Tokenizer, context_ + ": regex /" + shortPattern(pattern_) + "/ gave up on a text of " +
                                                std::to_string(text.size()) + " bytes after " +
                                                std::to_string(static_cast<int>(budget.seconds)) +
                                                " s (too much backtracking)");
    if (rc < 0) {
      const bool limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
                         rc == PCRE2_ERROR_JIT_STACKLIMIT;
      throw Error(ErrorCategory::Tokenizer,
                  context_ + ": regex /" + shortPattern(pattern_) + "/ " +
                      (limit ? "gave up on a text of " + std::to_string(text.size()) +
                                   " bytes after too much backtracking (" + pcre2Message(rc) + ")"
                             : "failed: " + pcre2Message(rc)));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
    const size_t start = ovector[0];
    const size_t end = ovector[1];
    if (start == end && have_last && last_end == end) {
      if (position >= text.size()) break;
      position += std::max<size_t>(1, utf8SequenceLength(text, position));
      continue;
    }
    matches.push_back({start, end});
    have_last = true;
    last_end = end;
    position = end;
  }
  return matches;
}

bool Pcre2Regex::search(std::string_view text) const {
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(compiled_->code, nullptr), &pcre2_match_data_free);
  if (!data) throw Error(ErrorCategory::OutOfMemory, context_ + ": cannot allocate regex match data");
  const int rc = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                             PCRE2_NO_UTF_CHECK, data.get(), compiled_->match_context);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0)
    throw Error(ErrorCategory::Tokenizer, context_ + ": regex /" + shortPattern(pattern_) + "/ failed: " + pcre2Message(rc));
  return true;
}

}  // namespace moescope::tokenizer
