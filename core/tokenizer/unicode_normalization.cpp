#include "core/tokenizer/unicode_normalization.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/tokenizer/unicode_tables.h"

namespace moescope::tokenizer {
namespace {

namespace data = unicode_data;

// Hangul syllables decompose and compose by arithmetic (Unicode 3.12).
constexpr uint32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr uint32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr uint32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

// Callers pass valid UTF-8 (text is validated once, on the way in).
std::vector<uint32_t> decode(std::string_view text) {
  std::vector<uint32_t> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i + k])); };
    const uint32_t lead = b(0);
    if (lead < 0x80) {
      out.push_back(lead);
      i += 1;
    } else if (lead < 0xE0) {
      out.push_back(((lead & 0x1F) << 6) | (b(1) & 0x3F));
      i += 2;
    } else if (lead < 0xF0) {
      out.push_back(((lead & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F));
      i += 3;
    } else {
      out.push_back(((lead & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F));
      i += 4;
    }
  }
  return out;
}

void encode(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string encodeAll(const std::vector<uint32_t>& cps) {
  std::string out;
  out.reserve(cps.size() * 2);
  for (uint32_t cp : cps) encode(cp, out);
  return out;
}

uint8_t combiningClass(uint32_t cp) {
  if (cp < 0x300) return 0;
  const auto* begin = data::kCombiningClasses;
  const auto* end = begin + data::kCombiningClassCount;
  const auto* it = std::upper_bound(begin, end, cp, [](uint32_t c, const auto& r) { return c < r.first; });
  if (it == begin) return 0;
  --it;
  return cp <= it->last ? it->combining_class : 0;
}

void decomposeInto(uint32_t cp, std::vector<uint32_t>& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const uint32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out.push_back(kTBase + s % kTCount);
    return;
  }
  if (cp >= 0xC0) {
    const auto* begin = data::kDecompositions;
    const auto* end = begin + data::kDecompositionCount;
    const auto* it = std::lower_bound(begin, end, cp, [](const auto& e, uint32_t c) { return e.code_point < c; });
    if (it != end && it->code_point == cp) {
      out.insert(out.end(), data::kDecompositionData + it->offset, data::kDecompositionData + it->offset + it->length);
      return;
    }
  }
  out.push_back(cp);
}

// Decomposition plus canonical ordering: each run of non-starters sorted, stably, by class.
std::vector<uint32_t> decomposed(std::string_view text) {
  std::vector<uint32_t> out;
  out.reserve(text.size());
  for (uint32_t cp : decode(text)) decomposeInto(cp, out);
  for (size_t i = 0; i < out.size();) {
    if (combiningClass(out[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && combiningClass(out[j]) != 0) ++j;
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(j),
                     [](uint32_t a, uint32_t b) { return combiningClass(a) < combiningClass(b); });
    i = j;
  }
  return out;
}

// 0 when the pair has no primary composite.
uint32_t compose(uint32_t first, uint32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
      second < kTBase + kTCount)
    return first + (second - kTBase);
  const auto* begin = data::kCompositions;
  const auto* end = begin + data::kCompositionCount;
  const auto key = [](uint32_t a, uint32_t b) { return (uint64_t{a} << 21) | b; };
  const uint64_t wanted = key(first, second);
  const auto* it = std::lower_bound(begin, end, wanted,
                                    [&](const auto& e, uint64_t k) { return key(e.first, e.second) < k; });
  return it != end && it->first == first && it->second == second ? it->composite : 0;
}

bool allBelow(std::string_view text, unsigned char limit_lead) {
  // Every character below U+0300 has no decomposition that NFC would change and composes with
  // nothing below U+0300, so such text is its own NFC.
  for (char c : text)
    if (static_cast<unsigned char>(c) >= limit_lead) return false;
  return true;
}

}  // namespace

std::string toNfd(std::string_view utf8) {
  if (allBelow(utf8, 0xC3)) return std::string(utf8);  // up to U+00BF: nothing decomposes
  return encodeAll(decomposed(utf8));
}

std::string toNfc(std::string_view utf8) {
  if (allBelow(utf8, 0xCC)) return std::string(utf8);  // below U+0300
  std::vector<uint32_t> cps = decomposed(utf8);
  if (cps.empty()) return {};
  // The composition algorithm of UAX #15: a character joins the last starter unless a
  // character between them has a combining class of at least its own (or is a starter).
  size_t starter = 0;
  bool have_starter = combiningClass(cps[0]) == 0;
  int last_class = have_starter ? 0 : 256;
  size_t write = 1;
  for (size_t read = 1; read < cps.size(); ++read) {
    const uint32_t cp = cps[read];
    const int cls = combiningClass(cp);
    if (have_starter && (last_class < cls || last_class == 0)) {
      if (const uint32_t composite = compose(cps[starter], cp)) {
        cps[starter] = composite;
        continue;
      }
    }
    if (cls == 0) {
      starter = write;
      have_starter = true;
    }
    last_class = cls;
    cps[write++] = cp;
  }
  cps.resize(write);
  return encodeAll(cps);
}

std::string toLowercase(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (uint32_t cp : decode(utf8)) {
    if (cp < 0x80) {
      out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
      continue;
    }
    const auto* begin = data::kLowercase;
    const auto* end = begin + data::kLowercaseCount;
    const auto* it = std::lower_bound(begin, end, cp, [](const auto& e, uint32_t c) { return e.code_point < c; });
    if (it != end && it->code_point == cp) {
      encode(it->lower, out);
      if (it->lower_extra) encode(it->lower_extra, out);
    } else {
      encode(cp, out);
    }
  }
  return out;
}

}  // namespace moescope::tokenizer
