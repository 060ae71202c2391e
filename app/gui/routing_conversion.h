#pragma once
// The engine's routing records -> the widgets' plain Qt types (the only place that knows both).
#include <cstdint>
#include <span>

#include "core/engine/forward_runner.h"
#include "widgets/routing_data.h"

namespace moescope::tokenizer {
class Tokenizer;
}

namespace moescope::gui {

widgets::LayerRoutingData toLayerRoutingData(const engine::LayerRouting& layer);

// Tokens and ids of a prompt with no layers yet.
widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer& tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k);

// The skeleton filled with every MoE layer of a finished run.
widgets::RoutingData toRoutingData(const engine::ForwardResult& result, widgets::RoutingData skeleton);

}  // namespace moescope::gui
