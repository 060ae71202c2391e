#pragma once
// The parts of sentencepiece's ModelProto (src/sentencepiece_model.proto) that encoding
// needs, read from a tokenizer.model file's bytes without the protobuf library: Debian's
// libsentencepiece bundles a protobuf that cannot share a process with libtorch's.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::tokenizer {

// The numbers are the proto's enum values.
enum class PieceType : uint8_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
enum class ModelType : uint8_t { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

struct ModelPiece {
  std::string text;
  float score = 0.0f;
  PieceType type = PieceType::Normal;
};

// Defaults are the proto's.
struct TrainerSpec {
  ModelType model_type = ModelType::Unigram;
  bool treat_whitespace_as_suffix = false;
  bool byte_fallback = false;
  int32_t unk_id = 0;
  int32_t bos_id = 1;
  int32_t eos_id = 2;
  int32_t pad_id = -1;
  std::string unk_piece = "<unk>";
  std::string bos_piece = "<s>";
  std::string eos_piece = "</s>";
  std::string pad_piece = "<pad>";
};

struct NormalizerSpec {
  std::string name;
  std::string precompiled_charsmap;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;
};

struct SentencePieceModelFile {
  std::vector<ModelPiece> pieces;
  TrainerSpec trainer_spec;
  NormalizerSpec normalizer_spec;
};

// More pieces than any published vocabulary (the largest have 256k) by a wide margin; the
// bound keeps a hostile file from costing more memory than a few times its size.
inline constexpr size_t kMaxModelPieces = size_t{1} << 20;

// Parses a serialized ModelProto. Throws Error(Tokenizer) naming `source` when the bytes are
// not one: broken wire format, a field of the wrong wire type, an enum value the proto does not
// define, no pieces or too many, no trainer_spec or normalizer_spec (every trainer writes both;
// a file without them is cut short), or trainer_spec ids outside [-1, pieces). Fields that
// only training reads are skipped.
SentencePieceModelFile parseSentencePieceModel(std::string_view bytes, const std::string& source);

}  // namespace moescope::tokenizer
