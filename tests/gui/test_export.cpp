// Figure and data export: the files have exactly the size asked for (computed here from the
// cm / inch / DPI arithmetic and read back from the files' own bytes), the exported CSV holds
// the values put into the views (read back by an independent RFC 4180 parser), bad paths are
// errors and leave nothing behind.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>

#include "tests/support/gui/sample_run.h"
#include "widgets/data_table.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/figure_export_dialog.h"
#include "widgets/figure_size.h"
#include "widgets/figure_size_editor.h"
#include "widgets/figure_style_editor.h"
#include "widgets/gate_score_chart.h"
#include "widgets/plot_export.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

using namespace moescope::widgets;
namespace test = moescope::test;

using test::sampleAnalyses;
using test::sampleRouting;

namespace {

FigureSize figure(double width, double height, LengthUnit unit, int dpi) {
  FigureSize size;
  size.width = width;
  size.height = height;
  size.unit = unit;
  size.dpi = dpi;
  return size;
}

// An RFC 4180 reader written for the test: quoted fields, doubled quotes, CRLF records.
QList<QStringList> parseCsv(const QString& text) {
  QList<QStringList> records;
  QStringList record;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (quoted) {
      if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
        field += QLatin1Char('"');
        ++i;
      } else if (c == QLatin1Char('"')) {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == QLatin1Char('"')) {
      quoted = true;
    } else if (c == QLatin1Char(',')) {
      record << field;
      field.clear();
    } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n')) {
      record << field;
      field.clear();
      records << record;
      record.clear();
      ++i;
    } else {
      field += c;
    }
  }
  return records;
}

QList<QStringList> readCsv(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return parseCsv(QString::fromUtf8(file.readAll()));
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The first row (from the top) with a pixel that is not white.
int firstInkRow(const QImage& image) {
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x)
      if ((image.pixel(x, y) & 0xFFFFFF) != 0xFFFFFF) return y;
  return -1;
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString file(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(dir_.isValid());
  }

  void lengthsAndSizes() {
    FigureSize size;  // 16 cm x 10 cm at 300 DPI
    QCOMPARE(size.pixels(), QSize(1890, 1181));  // 16 / 2.54 * 300 = 1889.76; 10 / 2.54 * 300 = 1181.10
    QCOMPARE(size.points(), QSize(454, 283));    // 16 / 2.54 * 72 = 453.54; 10 / 2.54 * 72 = 283.46
    FigureSize inches{3.5, 2.0, LengthUnit::Inches, 150};
    QCOMPARE(inches.pixels(), QSize(525, 300));
    QCOMPARE(inches.points(), QSize(252, 144));
    QCOMPARE(parseLength(QStringLiteral("16cm")), std::make_optional(std::make_pair(16.0, LengthUnit::Centimetres)));
    QCOMPARE(parseLength(QStringLiteral(" 6.3 in")), std::make_optional(std::make_pair(6.3, LengthUnit::Inches)));
    QCOMPARE(parseLength(QStringLiteral("160MM")), std::make_optional(std::make_pair(160.0, LengthUnit::Millimetres)));
    QVERIFY(!parseLength(QStringLiteral("16")));
    QVERIFY(!parseLength(QStringLiteral("16px")));
    QVERIFY(!parseLength(QStringLiteral("-3cm")));
    QCOMPARE(formatLength(16.0, LengthUnit::Centimetres), QStringLiteral("16cm"));
    QCOMPARE(formatLength(6.3, LengthUnit::Inches), QStringLiteral("6.3in"));
    QString error;
    const FigureSize too_small{0.05, 10, LengthUnit::Centimetres, 300};
    QVERIFY(!too_small.isValid(&error));
    QVERIFY(!error.isEmpty());
    const FigureSize too_coarse{16, 10, LengthUnit::Centimetres, 5};
    QVERIFY(!too_coarse.isValid());
  }

  void pngHasTheRequestedPixelsAndDpi_data() {
    QTest::addColumn<FigureSize>("size");
    QTest::addColumn<QSize>("pixels");
    // Expected pixels: inches x DPI, worked out by hand.
    QTest::newRow("16x10cm@300") << figure(16, 10, LengthUnit::Centimetres, 300) << QSize(1890, 1181);
    QTest::newRow("3.5x2.5in@150") << figure(3.5, 2.5, LengthUnit::Inches, 150) << QSize(525, 375);
    QTest::newRow("8.5x6cm@600") << figure(8.5, 6, LengthUnit::Centimetres, 600) << QSize(2008, 1417);
  }

  void pngHasTheRequestedPixelsAndDpi() {
    QFETCH(FigureSize, size);
    QFETCH(QSize, pixels);
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.resize(500, 300);
    view.setRunData(test::withRouting(sampleRouting()));
    const QString path = file(QStringLiteral("routing_%1.png").arg(QTest::currentDataTag()));
    const QRect on_screen = view.viewport();
    QString error;
    QVERIFY2(exportFigure(&view, path, size, &error), qPrintable(error));
    QImage image(path);
    QCOMPARE(image.size(), pixels);
    // The file records the resolution (pHYs, in dots per metre).
    QCOMPARE(image.dotsPerMeterX(), int(std::lround(size.dpi / 0.0254)));
    // Drawn, not blank: the heatmap's darkest viridis colour (#440154) covers the unchosen cells.
    bool dark = false;
    for (int y = 0; y < image.height() && !dark; y += 7)
      for (int x = 0; x < image.width() && !dark; x += 7)
        dark = qRed(image.pixel(x, y)) < 0x50 && qGreen(image.pixel(x, y)) < 0x10 && qBlue(image.pixel(x, y)) > 0x50;
    QVERIFY(dark);
    // The view on screen is as it was.
    QCOMPARE(view.viewport(), on_screen);
  }

  void pdfPageIsTheRequestedSize_data() {
    QTest::addColumn<FigureSize>("size");
    QTest::addColumn<QSize>("points");
    QTest::newRow("16x10cm") << figure(16, 10, LengthUnit::Centimetres, 300) << QSize(454, 283);
    QTest::newRow("3.5x5in") << figure(3.5, 5, LengthUnit::Inches, 300) << QSize(252, 360);
  }

  void pdfPageIsTheRequestedSize() {
    QFETCH(FigureSize, size);
    QFETCH(QSize, points);
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.resize(640, 520);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    const QString path = file(QStringLiteral("similarity_%1.pdf").arg(QTest::currentDataTag()));
    QString error;
    QVERIFY2(exportFigure(&view, path, size, &error), qPrintable(error));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    const QRegularExpression box(QStringLiteral("/MediaBox \\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]"));
    const QRegularExpressionMatch match = box.match(QString::fromLatin1(pdf));
    QVERIFY2(match.hasMatch(), "no MediaBox");
    QCOMPARE(match.captured(1).toDouble(), double(points.width()));
    QCOMPARE(match.captured(2).toDouble(), double(points.height()));
    // The text's font travels with the file.
    QVERIFY(pdf.contains("/FontFile"));
  }

  void svgIsValidWithTheRequestedSize_data() {
    QTest::addColumn<FigureSize>("size");
    QTest::addColumn<QString>("width");
    QTest::addColumn<QString>("height");
    QTest::newRow("16x10cm") << figure(16, 10, LengthUnit::Centimetres, 300) << QStringLiteral("16cm")
                             << QStringLiteral("10cm");
    QTest::newRow("6.3x4in") << figure(6.3, 4, LengthUnit::Inches, 300) << QStringLiteral("6.3in")
                             << QStringLiteral("4in");
  }

  void svgIsValidWithTheRequestedSize() {
    QFETCH(FigureSize, size);
    QFETCH(QString, width);
    QFETCH(QString, height);
    SelectionModel selection;
    selection.setLayer(1);
    DiversityCurvesView view(&selection);
    view.resize(600, 400);
    DiversityCurves curves;
    curves.layers = {3, 5};
    curves.curves.insert(QStringLiteral("weights_similarity/up"), {0.4f, 0.2f});
    view.setRunData(test::withCurves(curves));
    const QString path = file(QStringLiteral("diversity_%1.svg").arg(QTest::currentDataTag()));
    QString error;
    QVERIFY2(exportFigure(&view, path, size, &error), qPrintable(error));

    QFile svg(path);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svg);
    QString root_width, root_height, view_box;
    int texts = 0;
    bool title_found = false;
    while (!xml.atEnd()) {
      xml.readNext();
      if (!xml.isStartElement()) continue;
      if (xml.name() == QLatin1String("svg") && root_width.isEmpty()) {
        root_width = xml.attributes().value(QLatin1String("width")).toString();
        root_height = xml.attributes().value(QLatin1String("height")).toString();
        view_box = xml.attributes().value(QLatin1String("viewBox")).toString();
      } else if (xml.name() == QLatin1String("text")) {
        ++texts;
        title_found = title_found || xml.readElementText(QXmlStreamReader::IncludeChildElements).contains(QLatin1String("Diversity"));
      }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(root_width, width);
    QCOMPARE(root_height, height);
    // Text stays text (searchable, editable), the title among it.
    QVERIFY(texts > 5);
    QVERIFY(title_found);
    // The viewBox has the figure's proportions.
    const QStringList box = view_box.split(QLatin1Char(' '));
    QCOMPARE(box.size(), 4);
    QVERIFY(std::abs(box[2].toDouble() / box[3].toDouble() - size.width / size.height) < 0.01);
    QSvgRenderer renderer(path);
    QVERIFY(renderer.isValid());
  }

  void exportLeavesOutTheSpaceOfTheControls() {
    // The similarity view keeps a row at its top for the measure combo box; a figure has no
    // combo box, so its title starts near the top edge.
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.resize(640, 520);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    const QString path = file(QStringLiteral("similarity_top.png"));
    QVERIFY(exportFigure(&view, path, figure(4.0, 3.0, LengthUnit::Inches, 96)));
    const QImage image(path);
    const int controls_height = view.measureCombo()->sizeHint().height();
    const int ink = firstInkRow(image);
    QVERIFY(ink >= 0);
    QVERIFY2(ink < controls_height, qPrintable(QStringLiteral("first ink at %1").arg(ink)));
    // On screen the space is still there.
    QVERIFY(view.measureCombo()->geometry().bottom() > 0);
  }

  void plainWidgetsExportScaledToFit() {
    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.resize(600, 80);
    strip.setRunData(test::withRouting(sampleRouting()));
    const QString path = file(QStringLiteral("strip.png"));
    QString error;
    QVERIFY2(exportFigure(&strip, path, figure(10, 2, LengthUnit::Centimetres, 200), &error), qPrintable(error));
    QCOMPARE(QImage(path).size(), QSize(787, 157));  // 10 / 2.54 * 200 = 787.4, 2 / 2.54 * 200 = 157.5 -> 157
  }

  void badExportsAreErrorsAndLeaveNothing() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.setRunData(test::withRouting(sampleRouting()));
    QString error;
    QVERIFY(!exportFigure(&view, file(QStringLiteral("figure.bmpx")), FigureSize(), &error));
    QVERIFY(error.contains(QLatin1String("bmpx")));
    const QString missing_folder = file(QStringLiteral("no/such/folder/figure.png"));
    error.clear();
    QVERIFY(!exportFigure(&view, missing_folder, FigureSize(), &error));
    QVERIFY2(error.contains(QLatin1String("figure.png")), qPrintable(error));
    QVERIFY(!QFile::exists(missing_folder));
    error.clear();
    QVERIFY(!exportFigure(&view, file(QStringLiteral("tiny.png")), figure(0.01, 1, LengthUnit::Centimetres, 300), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(file(QStringLiteral("tiny.png"))));
    // 2 m x 2 m at 2400 DPI would be 35 gigapixels: refused with the pixel count, not attempted.
    error.clear();
    QVERIFY(!exportFigure(&view, file(QStringLiteral("huge.png")), figure(200, 200, LengthUnit::Centimetres, 2400), &error));
    QVERIFY2(error.contains(QLatin1String("188976")), qPrintable(error));  // 200 / 2.54 * 2400 = 188976.4
    QVERIFY(!QFile::exists(file(QStringLiteral("huge.png"))));
    // An existing file is replaced whole or not at all: a failed export keeps it.
    const QString existing = file(QStringLiteral("keep.png"));
    QVERIFY(exportFigure(&view, existing, figure(2, 1, LengthUnit::Inches, 50)));
    const QByteArray before = readAll(existing);
    QVERIFY(!exportFigure(&view, existing, figure(2, 1, LengthUnit::Inches, 1)));
    QCOMPARE(readAll(existing), before);
  }

  // LaTeX's special characters escaped in text, fractional numbers to the asked decimals, whole
  // numbers and text as they are, an empty field as "--".
  void latexTabular() {
    DataTable table;
    table.columns = {"name", "value_%", "n"};
    table.rows = {{"a&b #1", "0.126", "7"}, {"x_{2}~^\\", "", "-3"}, {"$", "1e-3", "12"}};
    const QString expected = QStringLiteral(
        "\\begin{tabular}{lrr}\n"
        "\\toprule\n"
        "name & value\\_\\% & n \\\\\n"
        "\\midrule\n"
        "a\\&b \\#1 & 0.13 & 7 \\\\\n"
        "x\\_\\{2\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{} & -- & -3 \\\\\n"
        "\\$ & 0.00 & 12 \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n");
    QCOMPARE(QString::fromUtf8(toLatex(table)), expected);
    QVERIFY(QString::fromUtf8(toLatex(table, 3)).contains(QStringLiteral("& 0.126 &")));
    // writeTable picks the form by the suffix.
    QTemporaryDir dir;
    const QString tex = dir.filePath(QStringLiteral("t.tex")), csv = dir.filePath(QStringLiteral("t.csv"));
    QVERIFY(writeTable(table, tex) && writeTable(table, csv));
    QFile tex_file(tex), csv_file(csv);
    QVERIFY(tex_file.open(QIODevice::ReadOnly) && csv_file.open(QIODevice::ReadOnly));
    QCOMPARE(tex_file.readAll(), toLatex(table));
    QCOMPARE(csv_file.readAll(), toCsv(table));
  }

  void csvQuoting() {
    QCOMPARE(csvField(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
    QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
    QCOMPARE(csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
    QCOMPARE(csvField(QStringLiteral(" lead")), QStringLiteral("\" lead\""));
    QCOMPARE(csvField(QStringLiteral("▁As")), QStringLiteral("▁As"));
    QCOMPARE(csvNumber(0.7f), QStringLiteral("0.7"));
    QCOMPARE(csvNumber(-0.1f), QStringLiteral("-0.1"));
    QCOMPARE(csvNumber(1.0 / 3.0).toDouble(), 1.0 / 3.0);
    QCOMPARE(csvNumber(std::nanf("")), QString());
    DataTable table;
    table.columns = {QStringLiteral("a"), QStringLiteral("b")};
    table.rows = {{QStringLiteral("1"), QStringLiteral("x,y")}};
    QCOMPARE(toCsv(table), QByteArray("a,b\r\n1,\"x,y\"\r\n"));
    QString error;
    QVERIFY(!writeCsv(DataTable(), file(QStringLiteral("empty.csv")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(file(QStringLiteral("empty.csv"))));
  }

  void routingHeatmapCsvHoldsTheMixingWeights() {
    SelectionModel selection;
    RoutingHeatmapView view(&selection);
    view.setRunData(test::withRouting(sampleRouting()));
    const QString path = file(QStringLiteral("routing.csv"));
    QVERIFY(writeCsv(view.tableData(), path));
    const QList<QStringList> rows = readCsv(path);
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0], (QStringList{"layer", "position", "token_id", "token", "E0", "E1", "E2", "E3"}));
    // Token 0 chose E2 (0.7) and E0 (0.3); token 1 E1 (0.6), E3 (0.4); token 2 E3 (0.9), E2 (0.1).
    QCOMPARE(rows[1], (QStringList{"3", "0", "10", "▁As", "0.3", "0", "0.7", "0"}));
    QCOMPARE(rows[2], (QStringList{"3", "1", "20", "say \"hi\", ok", "0", "0.6", "0", "0.4"}));
    QCOMPARE(rows[3], (QStringList{"3", "2", "30", "▁source", "0", "0", "0.1", "0.9"}));
    selection.setLayer(1);
    QCOMPARE(view.tableData().rows[1], (QStringList{"5", "1", "20", "say \"hi\", ok", "0.8", "0.2", "0", "0"}));
  }

  void similarityCsvHoldsTheMatrix() {
    SelectionModel selection;
    SimilarityHeatmapView view(&selection);
    view.setRunData(test::withAnalyses(sampleAnalyses()));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(toCsv(view.tableData())));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0], (QStringList{"layer", "measure", "expert", "E0", "E1", "F"}));
    QCOMPARE(rows[1], (QStringList{"3", "weights_similarity/up", "E0", "1", "0.2", "-0.1"}));
    QCOMPARE(rows[3], (QStringList{"3", "weights_similarity/up", "F", "-0.1", "0.4", "1"}));
    selection.setLayer(1);
    QCOMPARE(view.tableData().rows[0], (QStringList{"5", "weights_similarity/up", "E0", "1", "0.6", "0.3"}));
  }

  void statisticsAndRankCountCsv() {
    SelectionModel selection;
    RoutingStatisticsView statistics(&selection);
    statistics.setRunData(test::withAnalyses(sampleAnalyses()));
    const DataTable stats = statistics.tableData();
    QCOMPARE(stats.columns, (QStringList{"layer", "expert", "load", "coactivation_E0", "coactivation_E1", "coactivation_E2",
                                         "coactivation_E3", "load_entropy", "normalised_entropy",
                                         "coefficient_of_variation"}));
    QCOMPARE(stats.rows.size(), 4);
    QCOMPARE(stats.rows[2], (QStringList{"3", "2", "0.25", "0.75", "0", "1", "0.25", "1.2130075659799042", "0.875",
                                         "0.5773502691896257"}));

    RankCountView ranks(&selection);
    RoutingSummary summary;
    summary.rank_counts_all = {2, 0, 0, 4, 0, 6, 0, 0, 0, 0, 6, 0, 4, 0, 0, 2};
    ranks.setRunData(test::withAnalyses(sampleAnalyses(), summary));
    QCOMPARE(ranks.tableData().columns,
             (QStringList{"layer", "gate_score_rank", "norm_rank_1", "norm_rank_2", "norm_rank_3", "norm_rank_4"}));
    QCOMPARE(ranks.tableData().rows[0], (QStringList{"3", "1", "1", "0", "0", "2"}));
    ranks.setAllLayers(true);
    QCOMPARE(ranks.tableData().rows[3], (QStringList{"all", "4", "4", "0", "0", "2"}));
  }

  void diversityCsv() {
    SelectionModel selection;
    DiversityCurvesView view(&selection);
    DiversityCurves curves;
    curves.layers = {3, 5};
    curves.curves.insert(QStringLiteral("gate_embedding_similarity"), {0.125f, std::nanf("")});
    curves.curves.insert(QStringLiteral("weights_similarity/up"), {0.4f, 0.2f});
    view.setRunData(test::withCurves(curves));
    const DataTable table = view.tableData();
    QCOMPARE(table.columns, (QStringList{"layer", "gate_embedding_similarity", "weights_similarity/up"}));
    QCOMPARE(table.rows, (QList<QStringList>{{"3", "0.125", "0.4"}, {"5", "", "0.2"}}));
  }

  void gateScoreTokenStripAndInspectorCsv() {
    const RoutingData routing = sampleRouting();
    GateScoreChart chart;
    chart.showToken(routing.layers[0], 1, routing.tokens[1], -1);
    const DataTable scores = chart.tableData();
    QCOMPARE(scores.columns, (QStringList{"layer", "position", "token", "expert", "gate_score", "gate_score_rank",
                                          "output_norm", "output_norm_rank", "chosen", "mixing_weight"}));
    // Token 1 at layer 3: scores {.05, .5, .1, .35} rank E0=1 E1=4 E2=2 E3=3; norms {3, 1, 2, 2.5}
    // rank E1=1 E2=2 E3=3 E0=4; chosen E1 (.6) and E3 (.4).
    QCOMPARE(scores.rows[0], (QStringList{"3", "1", "say \"hi\", ok", "0", "0.05", "1", "3", "4", "0", "0"}));
    QCOMPARE(scores.rows[1], (QStringList{"3", "1", "say \"hi\", ok", "1", "0.5", "4", "1", "1", "1", "0.6"}));
    QCOMPARE(scores.rows[3], (QStringList{"3", "1", "say \"hi\", ok", "3", "0.35", "3", "2.5", "3", "1", "0.4"}));

    SelectionModel selection;
    TokenStrip strip(&selection);
    strip.setRunData(test::withRouting(routing));
    const DataTable chips = strip.tableData();
    QCOMPARE(chips.columns, (QStringList{"layer", "position", "token_id", "token", "expert_1", "weight_1", "expert_2", "weight_2"}));
    QCOMPARE(chips.rows[2], (QStringList{"3", "2", "30", "▁source", "3", "0.9", "2", "0.1"}));

    TokenInspector inspector(&selection);
    inspector.setRunData(test::withRouting(routing));
    selection.setToken(2);
    const DataTable per_layer = inspector.tableData();
    QCOMPARE(per_layer.rows.size(), 2);
    QCOMPARE(per_layer.rows[1], (QStringList{"2", "30", "▁source", "5", "2", "0.65", "1", "0.35"}));
  }

  void emptyViewsHaveNoTable() {
    SelectionModel selection;
    QVERIFY(RoutingHeatmapView(&selection).tableData().isEmpty());
    QVERIFY(SimilarityHeatmapView(&selection).tableData().isEmpty());
    QVERIFY(GateScoreChart().tableData().isEmpty());
    QVERIFY(RankCountView(&selection).tableData().isEmpty());
  }

  void dialogKeepsFormatAndFileNameTogether() {
    FigureExportDialog dialog(QStringLiteral("routing_heatmap"), QSize(480, 240));
    dialog.setPath(file(QStringLiteral("out.png")));
    dialog.setFormat(FigureFormat::Pdf);
    QCOMPARE(dialog.path(), file(QStringLiteral("out.pdf")));
    dialog.setPath(file(QStringLiteral("out.svg")));
    QCOMPARE(dialog.format(), FigureFormat::Svg);
    QVERIFY(!dialog.sizeEditor()->dpiSpin()->isEnabled());  // DPI applies to PNG only
    // Switching to inches converts the numbers: 16 cm = 6.2992 in.
    dialog.setFigureSize(figure(16, 10, LengthUnit::Centimetres, 300));
    dialog.sizeEditor()->unitCombo()->setCurrentIndex(1);
    QCOMPARE(dialog.figureSize().unit, LengthUnit::Inches);
    QVERIFY(std::abs(dialog.figureSize().width - 6.30) < 0.006);
    // "Use View Size": 480 x 240 pixels at the layout resolution.
    const double dpi = std::round(figureLayoutDpi());
    dialog.sizeEditor()->findChild<QPushButton*>()->click();
    QVERIFY(std::abs(dialog.figureSize().width - 480 / dpi) < 0.006);
    QVERIFY(std::abs(dialog.figureSize().height - 240 / dpi) < 0.006);
    dialog.setFormat(FigureFormat::Png);
    dialog.setFigureSize(figure(16, 10, LengthUnit::Centimetres, 300));
    QCOMPARE(dialog.sizeEditor()->pixelText(), QStringLiteral("= 1890 × 1181 pixels"));
    // A name without a known format is refused and the dialog stays open.
    dialog.setPath(file(QStringLiteral("out.bmp")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    dialog.setPath(file(QStringLiteral("missing/out.png")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    dialog.setPath(file(QStringLiteral("ok.png")));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
  }

  // The dress of a figure in the dialogs: Paper Style puts the model's name alone on top and
  // drops the captions; every choice is remembered; without a model's name there is no title.
  void styleEditorDressesAndRemembers() {
    FigureExportDialog dialog(QStringLiteral("rank_count"), QSize(480, 240));
    FigureStyleEditor* editor = dialog.styleEditor();
    editor->setModelName(QStringLiteral("Mixtral"));
    QCOMPARE(dialog.figureStyle().title, FigureStyle::Title::Automatic);
    QVERIFY(dialog.figureStyle().captions);
    editor->applyPaperStyle();
    FigureStyle style = dialog.figureStyle();
    QCOMPARE(style.title, FigureStyle::Title::Custom);
    QCOMPARE(style.custom_title, QStringLiteral("Mixtral"));
    QVERIFY(!style.captions);
    QCOMPARE(style.titleFor(QStringLiteral("Layer 3: counts")), QStringLiteral("Mixtral"));

    FigureStyle typed;
    typed.title = FigureStyle::Title::Hidden;
    typed.with_model_name = true;
    typed.captions = false;
    typed.font_family = QStringLiteral("DejaVu Serif");
    typed.body_points = 8.5;
    editor->setFigureStyle(typed);
    editor->save(QStringLiteral("styleTest"));
    FigureStyleEditor other;
    other.setModelName(QStringLiteral("Mixtral"));
    other.restore(QStringLiteral("styleTest"));
    const FigureStyle back = other.figureStyle();
    QCOMPARE(back.title, FigureStyle::Title::Hidden);
    QVERIFY(back.with_model_name);
    QVERIFY(!back.captions);
    QCOMPARE(back.font_family, QStringLiteral("DejaVu Serif"));
    QCOMPARE(back.body_points, 8.5);

    FigureStyleEditor lone;
    lone.applyPaperStyle();
    QCOMPARE(lone.figureStyle().title, FigureStyle::Title::Hidden);
  }

  void suggestedNames() {
    SelectionModel selection;
    RoutingHeatmapView heatmap(&selection);
    GateScoreChart chart;
    QCOMPARE(suggestedFigureName(&heatmap), QStringLiteral("routing_heatmap"));
    QCOMPARE(suggestedFigureName(&chart), QStringLiteral("gate_score_chart"));
  }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
