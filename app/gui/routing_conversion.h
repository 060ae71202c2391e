#pragma once
// A prompt's tokens -> the widgets' plain routing type, before any layer has run.
#include <cstdint>
#include <span>

#include "widgets/routing_data.h"

namespace moescope::tokenizer {
class Tokenizer;
}

namespace moescope::gui {

// Tokens and ids of a prompt with no layers yet.
widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k);

}  // namespace moescope::gui
