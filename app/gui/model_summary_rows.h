#pragma once
// The rows of the model summary panel, formatted for people (46.7 B, not 46702792704).
#include <QString>
#include <cstdint>

#include "widgets/model_summary_panel.h"

namespace moescope::checkpoint {
struct Model;
}
namespace moescope::tokenizer {
class Tokenizer;
}

namespace moescope::gui {

widgets::SummaryRows modelSummaryRows(const checkpoint::Model& model, const tokenizer::Tokenizer& tokenizer);

// 1234 -> "1,234"; 12900000 -> "12.9 M"; 46702792704 -> "46.7 B" (in the user's locale).
QString formatCount(int64_t count);

// The label of the row that shows where the last run computed; the window updates it.
QString deviceRowLabel();

}  // namespace moescope::gui
