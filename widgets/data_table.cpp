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

namespace {

bool writeBytes(const DataTable& table, const QString& path, QString* error, QByteArray (*form)(const DataTable&)) {
  const auto fail = [error](const QString& message) {
    if (error) *error = message;
    return false;
  };
  if (table.isEmpty()) return fail(DataTableText::tr("This view has no data to export yet."));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(DataTableText::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
  const QByteArray bytes = form(table);
  if (file.write(bytes) != bytes.size() || !file.commit())
    return fail(DataTableText::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
  return true;
}

QString latexText(const QString& text) {
  QString out;
  for (const QChar c : text) {
    switch (c.unicode()) {
      case '\\': out += QLatin1String("\\textbackslash{}"); break;
      case '~': out += QLatin1String("\\textasciitilde{}"); break;
      case '^': out += QLatin1String("\\textasciicircum{}"); break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out += QLatin1Char('\\');
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

QString latexField(const QString& field, int decimals) {
  if (field.isEmpty()) return QStringLiteral("--");
  bool number = false;
  const double value = field.toDouble(&number);  // C locale: the table's numbers are csvNumber's
  const bool fractional = field.contains(QLatin1Char('.')) || field.contains(QLatin1Char('e'), Qt::CaseInsensitive);
  if (number && std::isfinite(value) && fractional) return QString::number(value, 'f', decimals);
  return latexText(field);
}

}  // namespace

bool writeCsv(const DataTable& table, const QString& path, QString* error) { return writeBytes(table, path, error, toCsv); }

QByteArray toLatex(const DataTable& table, int decimals) {
  QString text = QStringLiteral("\\begin{tabular}{l%1}\n").arg(QString(qMax<qsizetype>(0, table.columns.size() - 1), QLatin1Char('r')));
  const auto append_row = [&text, decimals](const QStringList& fields, bool heading) {
    QStringList cells;
    for (const QString& field : fields) cells << (heading ? latexText(field) : latexField(field, decimals));
    text += cells.join(QStringLiteral(" & ")) + QStringLiteral(" \\\\\n");
  };
  text += QStringLiteral("\\toprule\n");
  append_row(table.columns, true);
  text += QStringLiteral("\\midrule\n");
  for (const QStringList& row : table.rows) append_row(row, false);
  text += QStringLiteral("\\bottomrule\n\\end{tabular}\n");
  return text.toUtf8();
}

bool writeTable(const DataTable& table, const QString& path, QString* error) {
  const bool latex = path.endsWith(QLatin1String(".tex"), Qt::CaseInsensitive);
  return writeBytes(table, path, error, latex ? +[](const DataTable& t) { return toLatex(t); } : toCsv);
}

}  // namespace moescope::widgets
