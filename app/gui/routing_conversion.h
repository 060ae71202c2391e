#pragma once
// A prompt's tokens -> the widgets' plain routing type, before any layer has run.
#include <cstdint>
#include <span>
#include <vector>

#include "core/engine/forward_runner.h"

#include "widgets/routing_data.h"

namespace moescope::tokenizer {
class Tokenizer;
}

namespace moescope::gui {

// Tokens and ids of a prompt with no layers yet.
widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k);

// Appends tokens with their routing at every MoE layer, as the engine recorded it for exactly
// these tokens (a generation's prompt, then each new token): gate scores, choices and weights.
// The first call makes the layers.
void appendRouting(widgets::RoutingData& routing, const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                   const std::vector<engine::LayerRouting>& layers);

}  // namespace moescope::gui
