#include "widgets/layer_list.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>

namespace moescope::widgets {

namespace {

struct LayerList {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::LayerList)
};

// One entry of a list: "7" or "4-6" (an en dash too); false for anything else or an upside-down range.
bool parseRangeEntry(const QString& entry, int* first, int* last) {
  static const QRegularExpression range(QStringLiteral("^(\\d+)\\s*[-–]\\s*(\\d+)$"));
  bool ok = false;
  if (const QRegularExpressionMatch match = range.match(entry); match.hasMatch()) {
    bool ok_last = false;
    *first = match.captured(1).toInt(&ok);
    *last = match.captured(2).toInt(&ok_last);
    return ok && ok_last && *first <= *last;
  }
  *first = *last = entry.toInt(&ok);
  return ok;
}

}  // namespace

std::optional<QVector<int>> parseLayerList(const QString& text, const QVector<int>& available, QString* error) {
  const auto fail = [error](const QString& message) -> std::optional<QVector<int>> {
    if (error) *error = message;
    return std::nullopt;
  };
  const QString trimmed = text.trimmed();
  QVector<bool> wanted(available.size(), false);
  if (trimmed.isEmpty() || trimmed.compare(QLatin1String("all"), Qt::CaseInsensitive) == 0) {
    wanted.fill(true);
  } else {
    for (const QString& raw : trimmed.split(QLatin1Char(','))) {
      const QString entry = raw.trimmed();
      if (entry.isEmpty()) continue;
      int first = 0, last = 0;
      if (!parseRangeEntry(entry, &first, &last)) return fail(LayerList::tr("\"%1\" is not a layer number or a range like 0-3.").arg(entry));
      bool any = false;
      for (qsizetype i = 0; i < available.size(); ++i) {
        if (available[i] >= first && available[i] <= last) {
          wanted[i] = true;
          any = true;
        }
      }
      if (!any)
        return fail(LayerList::tr("Layer %1 is not among the analysed MoE layers (%2).").arg(entry, describeLayers(available)));
    }
  }
  QVector<int> indices;
  for (qsizetype i = 0; i < wanted.size(); ++i)
    if (wanted[i]) indices.append(int(i));
  if (indices.isEmpty()) return fail(LayerList::tr("There are no layers to choose from yet."));
  return indices;
}

std::optional<QVector<int>> parseTokenList(const QString& text, int token_count, QString* error) {
  QVector<bool> wanted(qMax(0, token_count), false);
  for (const QString& raw : text.split(QLatin1Char(','))) {
    const QString entry = raw.trimmed();
    if (entry.isEmpty()) continue;
    int first = 0, last = 0;
    if (!parseRangeEntry(entry, &first, &last) || first < 0) {
      if (error) *error = LayerList::tr("\"%1\" is not a token position or a range like 4-6.").arg(entry);
      return std::nullopt;
    }
    if (last >= token_count) {
      if (error)
        *error = token_count > 0 ? LayerList::tr("Token %1 is past the end of the text (positions 0-%2).").arg(entry).arg(token_count - 1)
                                 : LayerList::tr("There are no tokens to choose from yet.");
      return std::nullopt;
    }
    for (int t = first; t <= last; ++t) wanted[t] = true;
  }
  QVector<int> tokens;
  for (int t = 0; t < wanted.size(); ++t)
    if (wanted[t]) tokens.append(t);
  return tokens;
}

QString describeLayers(const QVector<int>& available) {
  QVector<int> sorted = available;
  std::sort(sorted.begin(), sorted.end());
  QStringList parts;
  for (qsizetype i = 0; i < sorted.size();) {
    qsizetype j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    parts << (j > i ? QStringLiteral("%1-%2").arg(sorted[i]).arg(sorted[j]) : QString::number(sorted[i]));
    i = j + 1;
  }
  return parts.join(QStringLiteral(", "));
}

}  // namespace moescope::widgets
