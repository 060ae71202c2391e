#pragma once
// The rows of the model summary panel, formatted for people (46.7 B, not 46702792704).
#include <QString>
#include <cstdint>

#include "widgets/model_summary_panel.h"

namespace moescope::checkpoint {
struct Model;
}

namespace moescope::gui {

// What inspect reports, for the panel: family, layers (MoE and dense), experts and routing with
// DeepSeek's expert groups, shared experts, sizes, parameters, storage, the tokenizer
// (tokenizer_description, as Tokenizer::describe() gives it) and the folder.
widgets::SummaryRows modelSummaryRows(const checkpoint::Model& model, const QString& tokenizer_description);

// 1234 -> "1,234"; 12900000 -> "12.9 M"; 46702792704 -> "46.7 B" (in the user's locale).
QString formatCount(int64_t count);

// The label of the row that shows where the last run computed; the window updates it.
QString deviceRowLabel();

}  // namespace moescope::gui
