// Encoding speed of tokenizer.json tokenizers on WikiText-103's test excerpt, with a byte-level
// BPE of over 100k merges synthesised from that text: every word type's left-to-right prefix
// chain ("Ġ t" -> "Ġt", "Ġt h" -> "Ġth", ... most frequent words first), then its right-to-left
// suffix chain, so that merge tables have the size of real ones (GPT-2 50k, Llama 3 280k).
//   bench_tokenizer [--csv PATH] [--repeat N] [--keep DIR (leaves the tokenizer.json files there)]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/pcre2_regex.h"
#include "core/tokenizer/tokenizer.h"

namespace fs = std::filesystem;
namespace tok = moescope::tokenizer;
using nlohmann::ordered_json;

namespace {

constexpr std::string_view kGpt2 =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr std::string_view kLlama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Every field of every row, joined: the CSV holds one text per row.
std::string readCsvText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string csv = buffer.str();
  std::string text;
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        text += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        text += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c != ',' && c != '\n' && c != '\r') {
      text += c;
    } else if (c == '\n') {
      text += '\n';
    }
  }
  return text;
}

// Splits a byte-level word into its characters (1 or 2 UTF-8 bytes each).
std::vector<std::string> characters(const std::string& word) {
  std::vector<std::string> out;
  for (size_t i = 0; i < word.size();) {
    size_t n = 1;
    while (i + n < word.size() && (static_cast<unsigned char>(word[i + n]) & 0xC0) == 0x80) ++n;
    out.push_back(word.substr(i, n));
    i += n;
  }
  return out;
}

ordered_json synthesiseModel(const std::string& text, size_t* merge_count) {
  const tok::Pcre2Regex regex(kGpt2, "bench");
  std::unordered_map<std::string, size_t> frequency;
  for (const auto& m : regex.findAll(text)) ++frequency[tok::toByteLevel(text.substr(m.start, m.end - m.start))];
  std::vector<std::pair<std::string, size_t>> words(frequency.begin(), frequency.end());
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });

  std::unordered_map<std::string, size_t> known;
  const auto add = [&](const std::string& token) { known.emplace(token, known.size()); };
  for (int b = 0; b < 256; ++b) add(tok::toByteLevel(std::string(1, static_cast<char>(b))));
  ordered_json merges = ordered_json::array();
  std::set<std::pair<std::string, std::string>> seen;
  // (ordered_json's objects are vectors: filling one with 100k keys would take quadratic time.)
  const auto merge = [&](const std::string& left, const std::string& right) {
    if (!seen.emplace(left, right).second || known.count(left + right)) return;
    add(left + right);
    merges.push_back(ordered_json::array({left, right}));
  };
  for (const auto& [word, count] : words) {
    const auto chars = characters(word);
    std::string prefix = chars.empty() ? "" : chars[0];
    for (size_t i = 1; i < chars.size(); ++i) {
      merge(prefix, chars[i]);
      prefix += chars[i];
    }
  }
  for (const auto& [word, count] : words) {
    const auto chars = characters(word);
    if (chars.size() < 2) continue;
    std::string suffix = chars.back();
    for (size_t i = chars.size() - 1; i-- > 0;) {
      merge(chars[i], suffix);
      suffix = chars[i] + suffix;
    }
  }
  *merge_count = merges.size();
  nlohmann::json vocab(known);
  return {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"fuse_unk", false},
          {"byte_fallback", false}, {"ignore_merges", false}, {"vocab", vocab}, {"merges", merges}};
}

ordered_json byteLevel(bool use_regex) {
  return {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", use_regex}};
}

void run(const std::string& name, const ordered_json& tokenizer, const std::string& text, int repeat,
         const fs::path& keep) {
  const fs::path dir = (keep.empty() ? fs::temp_directory_path() : keep) / ("moescope_bench_tokenizer_" + name);
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << tokenizer.dump();
  const auto t0 = std::chrono::steady_clock::now();
  const auto loaded = tok::loadTokenizer(dir);
  const auto t1 = std::chrono::steady_clock::now();
  const double load_s = std::chrono::duration<double>(t1 - t0).count();
  std::printf("%-28s %s\n  load %.2f s\n", name.c_str(), loaded->describe().c_str(), load_s);
  for (int pass = 0; pass < repeat; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    const auto ids = loaded->encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  pass %d (%s cache): %zu bytes -> %zu tokens in %.3f s: %.2f M tokens/s, %.1f MB/s\n", pass + 1,
                pass == 0 ? "cold" : "warm", text.size(), ids.size(), seconds, ids.size() / seconds / 1e6,
                text.size() / seconds / 1e6);
  }
  if (keep.empty()) fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path csv = fs::path("..") / "shared" / "reference" / "wikitext103_test.csv";
  int repeat = 2;
  fs::path keep;
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string flag = argv[a];
    if (flag == "--csv") csv = argv[a + 1];
    else if (flag == "--repeat") repeat = std::stoi(argv[a + 1]);
    else if (flag == "--keep") keep = argv[a + 1];
  }
  try {
    const std::string text = readCsvText(csv);
    size_t merges = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const ordered_json model = synthesiseModel(text, &merges);
    std::printf("corpus %s: %zu bytes; synthesised %zu merges in %.1f s\n", csv.string().c_str(), text.size(), merges,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    const ordered_json gpt2 = {{"version", "1.0"}, {"added_tokens", ordered_json::array()}, {"normalizer", nullptr},
                               {"pre_tokenizer", byteLevel(true)}, {"post_processor", nullptr},
                               {"decoder", byteLevel(true)}, {"model", model}};
    run("gpt2-style", gpt2, text, repeat, keep);
    ordered_json llama3 = gpt2;
    llama3["normalizer"] = {{"type", "NFC"}};
    llama3["pre_tokenizer"] = {
        {"type", "Sequence"},
        {"pretokenizers", ordered_json::array({{{"type", "Split"}, {"pattern", {{"Regex", kLlama3}}},
                                                {"behavior", "Isolated"}, {"invert", false}},
                                               byteLevel(false)})}};
    llama3["model"]["ignore_merges"] = true;
    llama3["added_tokens"] = ordered_json::array(
        {{{"id", 0}, {"content", "<|begin_of_text|>"}, {"single_word", false}, {"lstrip", false}, {"rstrip", false},
          {"normalized", false}, {"special", true}}});
    run("llama3", llama3, text, repeat, keep);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
    return 1;
  }
  return 0;
}
