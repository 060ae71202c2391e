#pragma once
// Layers as people type them: "0,15,31", "0-3, 31", "all"; token positions likewise.
#include <QString>
#include <QVector>
#include <optional>

namespace moescope::widgets {

// The MoE layer indices (positions in available, which holds decoder layer numbers) that text
// names by decoder number, in the order available has them, each once. Empty text or "all":
// every layer. nullopt and *error naming the first entry that is not a number, a range or
// one of available's layers.
std::optional<QVector<int>> parseLayerList(const QString& text, const QVector<int>& available, QString* error = nullptr);

// Token positions as people type them ("3, 7, 12", "4-6"): sorted, each once, all below
// token_count. Empty text: an empty list. nullopt and *error naming the first entry that is not
// a position or a range of positions of the text.
std::optional<QVector<int>> parseTokenList(const QString& text, int token_count, QString* error = nullptr);

// available as a short text: "0-7", "1-27", "0, 2, 5-9".
QString describeLayers(const QVector<int>& available);

}  // namespace moescope::widgets
