#pragma once
// Where a colour scale's limits come from: the data (each layer's own, or one over all layers)
// or fixed by the user ([0, 1], [-1, 1], or typed limits), so figures of different layers and
// models read alike. Values beyond a fixed range are drawn in the end colour and marked.
#include <QString>
#include <optional>

namespace moescope::widgets {

struct ColourRange {
  enum class Mode { Automatic, ZeroToOne, MinusOneToOne, Typed };
  Mode mode = Mode::Automatic;
  double lower = 0.0;  // the typed limits (Mode::Typed)
  double upper = 1.0;

  bool isFixed() const { return mode != Mode::Automatic; }
  // The limits of a fixed range; Automatic gives 0..1.
  double fixedLower() const;
  double fixedUpper() const;
  // "auto", "0,1", "-1,1" or "LOWER,UPPER" (lower < upper, both finite); nullopt with the
  // reason in *problem otherwise.
  static std::optional<ColourRange> parse(const QString& text, QString* problem);
  static ColourRange typed(double lower, double upper);
  bool operator==(const ColourRange& other) const;
};

// Where a value lies against [lower, upper]: -1 below, 0 inside, +1 above.
inline int clipSide(double value, double lower, double upper) { return value < lower ? -1 : value > upper ? 1 : 0; }

}  // namespace moescope::widgets
