#pragma once
// The numbers behind a view as a table, for File > Export Data as CSV: one header row, then
// rows of fields. Views fill it with what they draw, numbers written so they read back exactly.
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace moescope::widgets {

struct DataTable {
  QStringList columns;
  QList<QStringList> rows;

  bool isEmpty() const { return columns.isEmpty() || rows.isEmpty(); }
};

// The shortest text that reads back as the same value ("0.7" for 0.7f); NaN -> "" (no value).
QString csvNumber(float value);
QString csvNumber(double value);

// A field quoted as RFC 4180 asks: in double quotes, inner quotes doubled, when it holds a
// comma, a quote, a line break or leading/trailing spaces.
QString csvField(const QString& field);
// UTF-8, CRLF line ends, no byte-order mark.
QByteArray toCsv(const DataTable& table);
// Written under a temporary name and renamed when complete. false + *error when the file
// cannot be written or the table is empty.
bool writeCsv(const DataTable& table, const QString& path, QString* error = nullptr);

// A LaTeX tabular with booktabs rules (\toprule, \midrule, \bottomrule), ready for \input in
// a table environment: text escaped, numbers with a decimal point or exponent written with
// `decimals` digits after the point, whole numbers as they are, first column left-aligned and
// the others right-aligned, a missing value as "--".
QByteArray toLatex(const DataTable& table, int decimals = 2);
// As writeCsv; the suffix picks the form: ".tex" a LaTeX tabular, anything else CSV.
bool writeTable(const DataTable& table, const QString& path, QString* error = nullptr);

}  // namespace moescope::widgets
