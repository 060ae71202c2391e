#include "app/gui/routing_conversion.h"

#include "core/tokenizer/display_pieces.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::gui {

widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k) {
  widgets::RoutingData out;
  out.experts = experts;
  out.top_k = top_k;
  // The same pieces the results file stores, so the live tokens and the file's agree.
  for (const std::string& piece : tokenizer::displayPieces(tokenizer, ids)) out.tokens.append(QString::fromStdString(piece));
  for (const int64_t id : ids) out.token_ids.append(int(id));  // vocabularies are far below INT_MAX
  return out;
}

}  // namespace moescope::gui
