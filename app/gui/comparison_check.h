#pragma once
// Whether a second results file can be shown next to the first: the same tokens, in order, and
// the same number of experts. Comparing the routing of two models only means something on the
// same text.
#include <QString>

#include "widgets/routing_data.h"

namespace moescope::gui {

// Empty when `other` can be compared with `shown`; otherwise one sentence saying why not.
QString comparisonMismatch(const widgets::RoutingData& shown, const widgets::RoutingData& other);

}  // namespace moescope::gui
