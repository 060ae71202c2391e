#pragma once
// Helpers of the tokenizer suites: sentencepiece models trained by libsentencepiece's own
// trainer, models written field by field (to reach what no trainer writes), and
// libsentencepiece as the oracle our encoder must agree with. Header-only: each test_*.cpp is
// its own executable.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <QtGlobal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace moescope::test {

class TrainingLines final : public sentencepiece::SentenceIterator {
 public:
  explicit TrainingLines(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool done() const override { return index_ >= lines_.size(); }
  void Next() override { ++index_; }
  const std::string& value() const override { return lines_[index_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  std::vector<std::string> lines_;
  size_t index_ = 0;
};

// Trains with libsentencepiece; quiet, single-threaded and seeded so that runs agree.
inline std::string trainSentencePiece(std::unordered_map<std::string, std::string> options,
                                      std::vector<std::string> lines) {
  options.emplace("num_threads", "1");
  options.emplace("minloglevel", "2");
  sentencepiece::SetRandomGeneratorSeed(1234);
  TrainingLines iterator(std::move(lines));
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(options, &iterator, &model);
  if (!status.ok()) qFatal("sentencepiece training failed: %s", status.ToString().c_str());
  return model;
}

// libsentencepiece's ids, or nullopt when it refuses to load the model or encode the text.
class Oracle {
 public:
  explicit Oracle(const std::string& model) : processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
    loaded_ = processor_->LoadFromSerializedProto(model).ok();
  }
  bool loaded() const { return loaded_; }
  std::optional<std::vector<int32_t>> encode(std::string_view text) const {
    std::vector<int> ids;
    if (!processor_->Encode(text, &ids).ok()) return std::nullopt;
    return std::vector<int32_t>(ids.begin(), ids.end());
  }
  int pieceCount() const { return processor_->GetPieceSize(); }
  sentencepiece::SentencePieceProcessor& processor() { return *processor_; }

 private:
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  bool loaded_ = false;
};

// Writes protobuf wire format, for models no trainer would produce.
class ProtoWriter {
 public:
  ProtoWriter& varint(uint32_t field, uint64_t value) {
    tag(field, 0);
    raw(value);
    return *this;
  }
  ProtoWriter& int32(uint32_t field, int32_t value) {
    // Negative int32 values go on the wire sign-extended to 64 bits, as protobuf writes them.
    return varint(field, static_cast<uint64_t>(static_cast<int64_t>(value)));
  }
  ProtoWriter& float32(uint32_t field, float value) {
    tag(field, 5);
    uint32_t bits = 0;
    std::memcpy(&bits, &value, 4);
    for (int i = 0; i < 4; ++i) bytes_ += static_cast<char>((bits >> (8 * i)) & 0xFF);
    return *this;
  }
  ProtoWriter& bytes(uint32_t field, std::string_view value) {
    tag(field, 2);
    raw(value.size());
    bytes_ += value;
    return *this;
  }
  ProtoWriter& message(uint32_t field, const ProtoWriter& inner) { return bytes(field, inner.str()); }
  ProtoWriter& rawBytes(std::string_view value) {
    bytes_ += value;
    return *this;
  }
  void tag(uint32_t field, int wire_type) { raw((uint64_t{field} << 3) | static_cast<uint64_t>(wire_type)); }
  void raw(uint64_t value) {
    do {
      const auto low = static_cast<char>(value & 0x7F);
      value >>= 7;
      bytes_ += static_cast<char>(low | (value ? 0x80 : 0));
    } while (value);
  }
  const std::string& str() const { return bytes_; }

 private:
  std::string bytes_;
};

// The proto's enum values.
enum SpType : int32_t { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6 };
enum SpModel : int32_t { kUnigram = 1, kBpe = 2, kWord = 3, kChar = 4 };

struct HandPiece {
  std::string text;
  float score = 0.0f;
  int32_t type = kNormal;
};

struct HandModel {
  std::vector<HandPiece> pieces;
  int32_t model_type = kBpe;
  bool byte_fallback = false;
  bool treat_whitespace_as_suffix = false;
  std::string normalizer_name = "identity";
  std::string precompiled_charsmap;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;

  // <unk>, <s>, </s> as ids 0..2, and the 256 byte pieces when byte_fallback is on.
  static HandModel withSpecials(int32_t model_type, bool byte_fallback) {
    HandModel model;
    model.model_type = model_type;
    model.byte_fallback = byte_fallback;
    model.pieces = {{"<unk>", 0, kUnknown}, {"<s>", 0, kControl}, {"</s>", 0, kControl}};
    if (byte_fallback)
      for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        model.pieces.push_back({name, 0, kByte});
      }
    return model;
  }

  std::string serialize() const {
    ProtoWriter model;
    for (const HandPiece& p : pieces) {
      ProtoWriter piece;
      piece.bytes(1, p.text).float32(2, p.score).int32(3, p.type);
      model.message(1, piece);
    }
    ProtoWriter trainer;
    trainer.int32(3, model_type).varint(24, treat_whitespace_as_suffix).varint(35, byte_fallback);
    trainer.int32(40, 0).int32(41, 1).int32(42, 2).int32(43, -1);
    model.message(2, trainer);
    ProtoWriter normalizer;
    normalizer.bytes(1, normalizer_name);
    if (!precompiled_charsmap.empty()) normalizer.bytes(2, precompiled_charsmap);
    normalizer.varint(3, add_dummy_prefix).varint(4, remove_extra_whitespaces).varint(5, escape_whitespaces);
    model.message(3, normalizer);
    return model.str();
  }
};

}  // namespace moescope::test
