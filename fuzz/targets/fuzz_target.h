#pragma once
// The fuzz targets: each feeds one input through one reader of untrusted files the way
// MoEScope itself reads them, then uses what was read so that a bad span or index shows.
// libFuzzer drives them (fuzz/libfuzzer_entry.cpp) and the test suite replays the recorded
// crash inputs of fuzz/regressions/<target>/ and the seed corpus through the same functions.
//
// A target reports an input refused when it got a moescope::Error, as a bad file should; any
// other exception escapes (libFuzzer reports it as a crash) and a broken invariant of an
// accepted input aborts.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::fuzz {

struct Outcome {
  bool accepted = true;
  std::string refusal;  // the Error's message when refused
};

struct Target {
  std::string_view name;  // also the folder of its seeds and regressions
  std::string_view reads;
  Outcome (*run)(std::span<const std::byte> input);
};

const std::vector<Target>& targets();
// nullptr for an unknown name.
const Target* findTarget(std::string_view name);

// Aborts with `what` on stderr: an invariant of an accepted input does not hold.
[[noreturn]] void invariantBroken(std::string_view target, std::string_view what);

// A private folder for the targets that read files from a folder (tokenizers, results files),
// made on first use and removed at exit; in /dev/shm when there is one, so that the disk is
// not written at every execution.
const std::filesystem::path& scratchFolder();
// Writes `bytes` to scratchFolder()/name, replacing it.
std::filesystem::path writeScratchFile(std::string_view name, std::span<const std::byte> bytes);

// Targets whose input is a text to encode and a file: text up to the first NUL byte (at most
// kMaxText bytes of it), the file after it. Without a NUL the whole input is the file.
struct TextAndFile {
  std::string_view text;
  std::span<const std::byte> file;
};
inline constexpr std::size_t kMaxText = 4096;
TextAndFile splitTextAndFile(std::span<const std::byte> input);

Outcome runSafetensors(std::span<const std::byte> input);
Outcome runGguf(std::span<const std::byte> input);
Outcome runModelConfig(std::span<const std::byte> input);
Outcome runTokenizerJson(std::span<const std::byte> input);
Outcome runSentencepieceModel(std::span<const std::byte> input);
Outcome runResultsReader(std::span<const std::byte> input);

}  // namespace moescope::fuzz
