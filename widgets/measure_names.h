#pragma once
// The similarity measures by the names people read (and translations give them), from their
// keys in the results file: "weights_similarity/up" -> "Weight similarity (up)".
#include <QString>

namespace moescope::widgets {

// A known key's translated name; an unknown key as measureTitle() spells it.
QString measureName(const QString& key);

// The same, short, for a legend in a small figure where the axis already says "similarity":
// "Weights (up)", "Gate embedding".
QString measureShortName(const QString& key);

// A fixed place for each measure (colour and marker of its curve), the same whatever other
// measures a run computed: the known keys in their reading order, then the others by a stable
// hash of their key.
int measureStyleIndex(const QString& key);

}  // namespace moescope::widgets
