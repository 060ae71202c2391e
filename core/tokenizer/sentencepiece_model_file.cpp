#include "core/tokenizer/sentencepiece_model_file.h"

#include "core/error.h"
#include "core/tokenizer/protobuf_wire_reader.h"

namespace moescope::tokenizer {
namespace {

// Field numbers of src/sentencepiece_model.proto.
namespace model_proto {
constexpr uint32_t kPieces = 1;
constexpr uint32_t kTrainerSpec = 2;
constexpr uint32_t kNormalizerSpec = 3;
}  // namespace model_proto
namespace piece_proto {
constexpr uint32_t kPiece = 1;
constexpr uint32_t kScore = 2;
constexpr uint32_t kType = 3;
}  // namespace piece_proto
namespace trainer_proto {
constexpr uint32_t kModelType = 3;
constexpr uint32_t kTreatWhitespaceAsSuffix = 24;
constexpr uint32_t kByteFallback = 35;
constexpr uint32_t kUnkId = 40;
constexpr uint32_t kBosId = 41;
constexpr uint32_t kEosId = 42;
constexpr uint32_t kPadId = 43;
constexpr uint32_t kUnkPiece = 45;
constexpr uint32_t kBosPiece = 46;
constexpr uint32_t kEosPiece = 47;
constexpr uint32_t kPadPiece = 48;
}  // namespace trainer_proto
namespace normalizer_proto {
constexpr uint32_t kName = 1;
constexpr uint32_t kPrecompiledCharsmap = 2;
constexpr uint32_t kAddDummyPrefix = 3;
constexpr uint32_t kRemoveExtraWhitespaces = 4;
constexpr uint32_t kEscapeWhitespaces = 5;
}  // namespace normalizer_proto

// protobuf itself would keep an undefined enum value as an unknown field and leave the
// default in place, silently turning e.g. a BPE model into a unigram one; refusing is clearer.
PieceType pieceType(const WireField& field) {
  const int32_t value = wireInt32(field);
  if (value < 1 || value > 6)
    throw MalformedProtobuf("piece type " + std::to_string(value) + " at byte " + std::to_string(field.offset) +
                            " is not one sentencepiece defines");
  return static_cast<PieceType>(value);
}

ModelType modelType(const WireField& field) {
  const int32_t value = wireInt32(field);
  if (value < 1 || value > 4)
    throw MalformedProtobuf("model_type " + std::to_string(value) + " is not one sentencepiece defines");
  return static_cast<ModelType>(value);
}

ModelPiece readPiece(const WireField& message) {
  ModelPiece piece;
  ProtobufReader reader(wireBytes(message), message.offset);
  WireField field;
  while (reader.next(field)) {
    switch (field.number) {
      case piece_proto::kPiece:
        piece.text.assign(wireBytes(field));
        break;
      case piece_proto::kScore:
        piece.score = wireFloat(field);
        break;
      case piece_proto::kType:
        piece.type = pieceType(field);
        break;
      default:
        break;
    }
  }
  return piece;
}

// Merges into `spec`, as protobuf does when a message field occurs more than once.
void readTrainerSpec(const WireField& message, TrainerSpec& spec) {
  ProtobufReader reader(wireBytes(message), message.offset);
  WireField field;
  while (reader.next(field)) {
    switch (field.number) {
      case trainer_proto::kModelType:
        spec.model_type = modelType(field);
        break;
      case trainer_proto::kTreatWhitespaceAsSuffix:
        spec.treat_whitespace_as_suffix = wireBool(field);
        break;
      case trainer_proto::kByteFallback:
        spec.byte_fallback = wireBool(field);
        break;
      case trainer_proto::kUnkId:
        spec.unk_id = wireInt32(field);
        break;
      case trainer_proto::kBosId:
        spec.bos_id = wireInt32(field);
        break;
      case trainer_proto::kEosId:
        spec.eos_id = wireInt32(field);
        break;
      case trainer_proto::kPadId:
        spec.pad_id = wireInt32(field);
        break;
      case trainer_proto::kUnkPiece:
        spec.unk_piece.assign(wireBytes(field));
        break;
      case trainer_proto::kBosPiece:
        spec.bos_piece.assign(wireBytes(field));
        break;
      case trainer_proto::kEosPiece:
        spec.eos_piece.assign(wireBytes(field));
        break;
      case trainer_proto::kPadPiece:
        spec.pad_piece.assign(wireBytes(field));
        break;
      default:
        break;
    }
  }
}

void readNormalizerSpec(const WireField& message, NormalizerSpec& spec) {
  ProtobufReader reader(wireBytes(message), message.offset);
  WireField field;
  while (reader.next(field)) {
    switch (field.number) {
      case normalizer_proto::kName:
        spec.name.assign(wireBytes(field));
        break;
      case normalizer_proto::kPrecompiledCharsmap:
        spec.precompiled_charsmap.assign(wireBytes(field));
        break;
      case normalizer_proto::kAddDummyPrefix:
        spec.add_dummy_prefix = wireBool(field);
        break;
      case normalizer_proto::kRemoveExtraWhitespaces:
        spec.remove_extra_whitespaces = wireBool(field);
        break;
      case normalizer_proto::kEscapeWhitespaces:
        spec.escape_whitespaces = wireBool(field);
        break;
      default:
        break;
    }
  }
}

void checkSpecialId(const char* name, int32_t id, size_t piece_count) {
  if (id < -1 || id >= static_cast<int64_t>(piece_count))
    throw MalformedProtobuf(std::string("trainer_spec.") + name + " " + std::to_string(id) + " is outside the " +
                            std::to_string(piece_count) + " pieces");
}

SentencePieceModelFile parse(std::string_view bytes) {
  SentencePieceModelFile model;
  bool has_trainer_spec = false;
  bool has_normalizer_spec = false;
  ProtobufReader reader(bytes);
  WireField field;
  while (reader.next(field)) {
    switch (field.number) {
      case model_proto::kPieces:
        if (model.pieces.size() == kMaxModelPieces)
          throw MalformedProtobuf("more than " + std::to_string(kMaxModelPieces) + " pieces");
        model.pieces.push_back(readPiece(field));
        break;
      case model_proto::kTrainerSpec:
        readTrainerSpec(field, model.trainer_spec);
        has_trainer_spec = true;
        break;
      case model_proto::kNormalizerSpec:
        readNormalizerSpec(field, model.normalizer_spec);
        has_normalizer_spec = true;
        break;
      default:
        break;  // self_test_data, denormalizer_spec (decoding only), extensions
    }
  }
  if (model.pieces.empty()) throw MalformedProtobuf("it has no pieces");
  if (!has_trainer_spec) throw MalformedProtobuf("it has no trainer_spec; the file is cut short");
  if (!has_normalizer_spec) throw MalformedProtobuf("it has no normalizer_spec; the file is cut short");
  const TrainerSpec& spec = model.trainer_spec;
  checkSpecialId("unk_id", spec.unk_id, model.pieces.size());
  checkSpecialId("bos_id", spec.bos_id, model.pieces.size());
  checkSpecialId("eos_id", spec.eos_id, model.pieces.size());
  checkSpecialId("pad_id", spec.pad_id, model.pieces.size());
  return model;
}

}  // namespace

SentencePieceModelFile parseSentencePieceModel(std::string_view bytes, const std::string& source) {
  try {
    return parse(bytes);
  } catch (const MalformedProtobuf& e) {
    throw Error(ErrorCategory::Tokenizer, source + " is not a valid sentencepiece model (" + e.what() + ")");
  }
}

}  // namespace moescope::tokenizer
