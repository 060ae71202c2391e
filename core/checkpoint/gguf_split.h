#pragma once
// A GGUF model split over several files, as llama.cpp's gguf-split writes it:
// "<name>-00001-of-00003.gguf" ... "<name>-00003-of-00003.gguf", each a GGUF file of its own
// whose metadata says which part it is (split.no, from 0; split.count; split.tensors.count, the
// tensors of all parts). A file that is not named so is a model of one part.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/gguf_file.h"

namespace moescope::checkpoint {

// "<stem>-0000i-of-0000N.gguf", as a file name spells it (nothing checked beyond the digits).
struct GgufSplitName {
  std::string stem;
  int part = 0, count = 0;  // from 1
};
std::optional<GgufSplitName> parseGgufSplitName(const std::string& file_name);

// The name of the model a .gguf file belongs to: the stem of a split model's parts, else the
// file's own stem.
std::string ggufModelName(const std::filesystem::path& file);

// The first part of the model `path` belongs to (the file that holds its metadata): `path`
// itself for a model of one file. Opens nothing; throws Error(MalformedFile) when the name's
// part numbers are impossible.
std::filesystem::path ggufFirstPart(const std::filesystem::path& path);

// The parts of the model `path` belongs to, in order (any part may be given). Throws
// Error(MalformedFile) naming the part at fault when one is missing, unreadable, says it is
// another part or of another count, or when a tensor is in two parts or the parts hold another
// number of tensors than split.tensors.count; errors of GgufFile::open otherwise.
std::vector<std::shared_ptr<const GgufFile>> openGgufParts(const std::filesystem::path& path);

}  // namespace moescope::checkpoint
