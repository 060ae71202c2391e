#include "widgets/text_wrap.h"

#include <QFontMetrics>
#include <QStringList>

namespace moescope::widgets {

QString wrapText(const QString& text, const QFont& font, int width) {
  const QFontMetrics metrics(font);
  QStringList lines;
  for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
    if (width <= 0 || metrics.horizontalAdvance(paragraph) <= width) {
      lines << paragraph;
      continue;
    }
    QString line;
    for (const QString& word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
      const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
      if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
        lines << line;
        line = word;
      } else {
        line = longer;
      }
    }
    lines << line;
  }
  return lines.join(QLatin1Char('\n'));
}

}  // namespace moescope::widgets
