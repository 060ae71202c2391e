#include "core/tokenizer/display_pieces.h"

namespace moescope::tokenizer {

std::vector<std::string> displayPieces(const Tokenizer* tokenizer, std::span<const int64_t> ids) {
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (int64_t id : ids) {
    if (tokenizer && id >= 0 && id < tokenizer->vocabSize()) {
      pieces.push_back(tokenizer->displayPiece(id));
    } else {
      std::string piece = "#";
      piece += std::to_string(id);
      pieces.push_back(std::move(piece));
    }
  }
  return pieces;
}

}  // namespace moescope::tokenizer
