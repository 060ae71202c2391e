#pragma once
// Layers as people type them: "0,15,31", "0-3, 31", "all".
#include <QString>
#include <QVector>
#include <optional>

namespace moescope::widgets {

// The MoE layer indices (positions in available, which holds decoder layer numbers) that text
// names by decoder number, in the order available has them, each once. Empty text or "all":
// every layer. nullopt and *error naming the first entry that is not a number, a range or
// one of available's layers.
std::optional<QVector<int>> parseLayerList(const QString& text, const QVector<int>& available, QString* error = nullptr);

// available as a short text: "0-7", "1-27", "0, 2, 5-9".
QString describeLayers(const QVector<int>& available);

}  // namespace moescope::widgets
