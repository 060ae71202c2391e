#include "app/gui/comparison_check.h"

#include <QCoreApplication>

namespace moescope::gui {

namespace {

struct ComparisonCheck {
  Q_DECLARE_TR_FUNCTIONS(moescope::gui::ComparisonCheck)
};

QString describe(const widgets::RoutingData& routing, int token) {
  const QString piece = routing.tokens.value(token);
  return token < routing.token_ids.size() ? ComparisonCheck::tr("\"%1\" (id %2)").arg(piece).arg(routing.token_ids[token])
                                          : ComparisonCheck::tr("\"%1\"").arg(piece);
}

}  // namespace

QString comparisonMismatch(const widgets::RoutingData& shown, const widgets::RoutingData& other) {
  if (shown.tokens.isEmpty())
    return ComparisonCheck::tr("Nothing is shown to compare with: analyze a prompt or open a results file first.");
  if (other.tokens.isEmpty()) return ComparisonCheck::tr("The comparison file has no tokens.");
  if (other.experts != shown.experts)
    return ComparisonCheck::tr("The comparison has %1 experts per layer, the results shown have %2.")
        .arg(other.experts)
        .arg(shown.experts);
  if (other.tokens.size() != shown.tokens.size())
    return ComparisonCheck::tr("The comparison was run on %1 tokens, the results shown on %2: both must be the same text.")
        .arg(other.tokens.size())
        .arg(shown.tokens.size());
  // Ids decide where both files have them; pieces otherwise.
  const bool ids = other.token_ids.size() == other.tokens.size() && shown.token_ids.size() == shown.tokens.size();
  for (int t = 0; t < shown.tokenCount(); ++t) {
    const bool same = ids ? other.token_ids[t] == shown.token_ids[t] : other.tokens[t] == shown.tokens[t];
    if (!same)
      return ComparisonCheck::tr("Token %1 differs: %2 in the comparison, %3 in the results shown. Both must be the "
                                 "same text, tokenized alike.")
          .arg(t)
          .arg(describe(other, t), describe(shown, t));
  }
  return QString();
}

}  // namespace moescope::gui
