#pragma once
// Seed inputs for the fuzz targets, written by MoEScope's own writers (safetensors writer,
// results writer, the demo tokenizer) and from the architecture registry, so that the fuzzers
// start from files the program accepts and mutate from there.
#include <filesystem>

namespace moescope::fuzz {

// Writes out/<target>/<seed> for every target of targets(). `reference_configs` is a folder of
// real config.json files (tests/data/reference/configs) added to the model_config seeds; an
// empty or missing path adds none. Returns the number of files written. Throws Error(Io).
int writeSeedCorpus(const std::filesystem::path& out, const std::filesystem::path& reference_configs);

}  // namespace moescope::fuzz
