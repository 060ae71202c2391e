#include "widgets/data_table.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>
#include <array>
#include <charconv>
#include <cmath>

namespace moescope::widgets {

namespace {

struct DataTableText {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::DataTable)
};

template <class Number>
QString shortestText(Number value) {
  if (std::isnan(value)) return QString();
  // to_chars without a precision gives the shortest digits that parse back to the same value.
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return QString::fromLatin1(buffer.data(), int(result.ptr - buffer.data()));
}

}  // namespace

QString csvNumber(float value) { return shortestText(value); }
QString csvNumber(double value) { return shortestText(value); }

QString csvField(const QString& field) {
  const bool needs_quotes = field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) ||
                            field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r')) ||
                            (!field.isEmpty() && (field.front().isSpace() || field.back().isSpace()));
  if (!needs_quotes) return field;
  QString quoted = field;
  quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QByteArray toCsv(const DataTable& table) {
  QString text;
  const auto append_row = [&text](const QStringList& fields) {
    for (qsizetype i = 0; i < fields.size(); ++i) {
      if (i > 0) text += QLatin1Char(',');
      text += csvField(fields[i]);
    }
    text += QLatin1String("\r\n");
  };
  append_row(table.columns);
  for (const QStringList& row : table.rows) append_row(row);
  return text.toUtf8();
}

bool writeCsv(const DataTable& table, const QString& path, QString* error) {
  const auto fail = [error](const QString& message) {
    if (error) *error = message;
    return false;
  };
  if (table.isEmpty()) return fail(DataTableText::tr("This view has no data to export yet."));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(DataTableText::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
  const QByteArray bytes = toCsv(table);
  if (file.write(bytes) != bytes.size() || !file.commit())
    return fail(DataTableText::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
  return true;
}

}  // namespace moescope::widgets
