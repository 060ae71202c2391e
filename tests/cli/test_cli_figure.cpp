// moescope-cli figure: the explorer's views drawn headless from a results file that the
// analysis pipeline wrote for the demo model. Files have the size asked for (worked out here
// from cm / inch / DPI and read back from the files), every listed view draws or names what it
// lacks, and every bad input is one line on stderr with exit status 2 and no file left behind.
// A build without the GUI has the command only to say that it is unavailable.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/cli_runner.h"

#if MOESCOPE_CLI_FIGURES
#include <QImage>
#include <QSvgRenderer>
#include <QXmlStreamReader>
#endif

using namespace moescope;

namespace {

using Run = test::CliRun;

Run cli(const QStringList& args) { return test::runCli(args); }

// The error contract: exit 2, one line "moescope-cli: error: ..." that contains every part.
bool failsWith(const Run& run, const QStringList& parts, QString* why) {
  const QString err = QString::fromStdString(run.err);
  *why = QStringLiteral("exit %1, stderr: %2").arg(run.exit_code).arg(err);
  if (run.crashed || run.exit_code != 2) return false;
  if (!err.startsWith(QLatin1String("moescope-cli: error: ")) || err.count(QLatin1Char('\n')) != 1) return false;
  for (const QString& part : parts)
    if (!err.contains(part)) return false;
  return true;
}

}  // namespace

class TestCliFigure : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString results_;          // every analysis
  QString routing_results_;  // the routing only
  QString comparison_;       // compare: three models

  QString out(const QString& name) const { return tmp_.filePath(name); }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
#if MOESCOPE_CLI_FIGURES
    const QString demo = tmp_.filePath(QStringLiteral("demo"));
    const Run made = cli({"make-demo", demo});
    QVERIFY2(made.exit_code == 0, made.err.c_str());
    results_ = tmp_.filePath(QStringLiteral("demo.h5"));
    const Run analyzed = cli({"analyze", demo, "--text", "As an open source alternative to", "--analyses", "all",
                              "--out", results_, "--quiet"});
    QVERIFY2(analyzed.exit_code == 0, analyzed.err.c_str());
    routing_results_ = tmp_.filePath(QStringLiteral("routing.h5"));
    const Run routed = cli({"analyze", demo, "--text", "As an open source alternative to", "--analyses", "routing",
                            "--out", routing_results_, "--quiet"});
    QVERIFY2(routed.exit_code == 0, routed.err.c_str());
    // The demo three times: a comparison of three models (each agrees with the reference).
    comparison_ = tmp_.filePath(QStringLiteral("compare3.h5"));
    const Run compared = cli({"compare", demo, demo, demo, "--text", "As an open source alternative to", "--analyses",
                              "routing", "--out", comparison_, "--quiet"});
    QVERIFY2(compared.exit_code == 0, compared.err.c_str());
#endif
  }

#if MOESCOPE_CLI_FIGURES

  void pngHasTheAskedPixels() {
    // 16 cm x 10 cm at 300 DPI: 16 / 2.54 * 300 = 1889.76 -> 1890, 10 / 2.54 * 300 = 1181.1 -> 1181.
    const QString png = out(QStringLiteral("routing.png"));
    const Run run = cli({"figure", results_, "--view", "routing", "--layer", "3", "--out", png});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QVERIFY2(run.err.empty(), run.err.c_str());  // nothing but errors on stderr
    QVERIFY(run.out.find("1890 x 1181") != std::string::npos);
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1890, 1181));
    QCOMPARE(image.dotsPerMeterX(), 11811);  // 300 / 0.0254

    // 3.5 x 2 inches at 150 DPI: 525 x 300.
    const QString small = out(QStringLiteral("gate.png"));
    const Run gate = cli({"figure", results_, "--view", "gate-scores", "--layer", "5", "--token", "2", "--width", "3.5in",
                          "--height", "2in", "--dpi", "150", "--out", small});
    QVERIFY2(gate.exit_code == 0, gate.err.c_str());
    QCOMPARE(QImage(small).size(), QSize(525, 300));
  }

  void pdfPageIsTheAskedSize() {
    // 8.5 cm x 6 cm: 8.5 / 2.54 * 72 = 240.94 -> 241 points, 6 / 2.54 * 72 = 170.08 -> 170.
    const QString pdf = out(QStringLiteral("similarity.pdf"));
    const Run run = cli({"figure", results_, "--view", "similarity-weights-gate", "--layer", "0", "--width", "8.5cm",
                         "--height", "60mm", "--out", pdf});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    const QRegularExpressionMatch box = QRegularExpression(QStringLiteral("/MediaBox \\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]"))
                                            .match(QString::fromLatin1(bytes));
    QVERIFY(box.hasMatch());
    QCOMPARE(box.captured(1).toDouble(), 241.0);
    QCOMPARE(box.captured(2).toDouble(), 170.0);
    QVERIFY(bytes.contains("/FontFile"));
  }

  void svgStatesTheAskedSize() {
    const QString svg = out(QStringLiteral("diversity.svg"));
    const Run run = cli({"figure", results_, "--view", "diversity", "--width", "6.3in", "--height", "4in", "--out", svg});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    while (!xml.atEnd() && !(xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("svg"))) {
    }
    QCOMPARE(xml.attributes().value(QLatin1String("width")).toString(), QStringLiteral("6.3in"));
    QCOMPARE(xml.attributes().value(QLatin1String("height")).toString(), QStringLiteral("4in"));
    while (!xml.atEnd()) xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(QSvgRenderer(svg).isValid());
  }

  // The dress of a figure: the view's title, a typed one, none, or the model's name before it;
  // the paper preset's model name alone without the captions; the font asked for.
  void styleOptionsDressTheFigure_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");
    const QStringList rank = {"--view", "rank-counts", "--layer", "1"};
    QTest::newRow("own title") << rank << QStringList{"Layer 1:", "Top-1 agreement"} << QStringList{};
    QTest::newRow("typed title") << rank + QStringList{"--title", "Figure 3"} << QStringList{">Figure 3<"}
                                 << QStringList{"Layer 1:"};
    QTest::newRow("no title") << rank + QStringList{"--no-title"} << QStringList{"Top-1 agreement"}
                              << QStringList{"Layer 1:"};
    QTest::newRow("model name") << rank + QStringList{"--model-name"} << QStringList{">demo: Layer 1:"} << QStringList{};
    QTest::newRow("paper") << rank + QStringList{"--paper"} << QStringList{">demo<"}
                           << QStringList{"Layer 1:", "Top-1 agreement"};
    QTest::newRow("no captions") << rank + QStringList{"--no-captions"} << QStringList{"Layer 1:"}
                                 << QStringList{"Top-1 agreement"};
    // The demo's weights are random: every off-diagonal similarity is far below 0.99.
    const QStringList weights = {"--view", "similarity-weights-up", "--layer", "1"};
    QTest::newRow("automatic colour range") << weights << QStringList{"Layer 1:"} << QStringList{"Beyond the colour range"};
    QTest::newRow("fixed colour range") << weights + QStringList{"--colour-range", "0.99,1"}
                                        << QStringList{"Beyond the colour range", "below 0.99"} << QStringList{"above 1"};
    QTest::newRow("serif font") << rank + QStringList{"--font", "DejaVu Serif"}
                                << QStringList{"font-family=\"DejaVu Serif, serif\""} << QStringList{};
  }

  void styleOptionsDressTheFigure() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    const QString svg = out(QStringLiteral("styled.svg"));
    const Run run = cli(QStringList{"figure", results_} + args + QStringList{"--width", "16cm", "--out", svg});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // The drawn text, one <text> element a line (the document's <title> is metadata); font
    // attributes are looked for in the whole file.
    const QString svg_text = QString::fromUtf8(file.readAll());
    QString drawn;
    static const QRegularExpression element(QStringLiteral("<text[^>]*>([^<]*)</text>"));
    for (const QRegularExpressionMatch& match : element.globalMatch(svg_text)) drawn += QLatin1Char('>') + match.captured(1) + QStringLiteral("<\n");
    for (const QString& part : present)
      QVERIFY2((part.startsWith(QLatin1String("font-family")) ? svg_text : drawn).contains(part), qPrintable(part));
    for (const QString& part : absent) QVERIFY2(!drawn.contains(part), qPrintable(part));
  }

  void routingOverviewDrawsTheWholeRun() {
    // A figure of the whole run: no --layer. 8 cm x 10 cm at 100 DPI: 8 / 2.54 * 100 = 314.96
    // -> 315, 10 / 2.54 * 100 = 393.7 -> 394.
    const QString png = out(QStringLiteral("overview.png"));
    const Run run = cli({"figure", results_, "--view", "routing-overview", "--width", "8cm", "--height", "10cm", "--dpi",
                         "100", "--out", png});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const QImage image(png);
    QCOMPARE(image.size(), QSize(315, 394));
    // The grid is drawn: a good part of the figure is in viridis' saturated colours, which
    // the white page, the black text and the grey axes never are.
    qint64 coloured = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) coloured += image.pixelColor(x, y).hsvSaturation() > 100 ? 1 : 0;
    QVERIFY2(coloured > qint64(image.width()) * image.height() / 4, qPrintable(QString::number(coloured)));
    // A run of the routing alone computed no loads.
    const QString missing = out(QStringLiteral("overview_missing.png"));
    const Run none = cli({"figure", routing_results_, "--view", "routing-overview", "--out", missing});
    QString why;
    QVERIFY2(failsWith(none, {QStringLiteral("routing.h5 has no data for view routing-overview"), QStringLiteral("expert load")}, &why),
             qPrintable(why));
    QVERIFY(!QFile::exists(missing));
  }

  void everyListedViewDraws() {
    const Run list = cli({"figure", "--list-views"});
    QCOMPARE(list.exit_code, 0);
    QStringList views;
    for (const QString& line : QString::fromStdString(list.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
      views << line.section(QLatin1Char(' '), 0, 0);
    QVERIFY(views.contains(QStringLiteral("routing")));
    QVERIFY(views.contains(QStringLiteral("rank-counts-all")));
    QVERIFY(views.size() >= 20);
    QVERIFY(views.contains(QStringLiteral("compare-saturation-over-models")));
    for (const QString& view : views) {
      const QString png = out(view + QStringLiteral("_all.png"));
      const QString& file = view.startsWith(QLatin1String("compare-")) ? comparison_ : results_;
      const Run run = cli({"figure", file, "--view", view, "--layer", "1", "--token", "0", "--width", "6cm",
                           "--height", "4cm", "--dpi", "72", "--out", png});
      QVERIFY2(run.exit_code == 0, qPrintable(view + QStringLiteral(": ") + QString::fromStdString(run.err)));
      QCOMPARE(QImage(png).size(), QSize(170, 113));  // 6 / 2.54 * 72 = 170.08, 4 / 2.54 * 72 = 113.4
    }
  }

  // The paper's small multiples for the layers and tokens asked for: 2 x 3 panels, each a
  // colour map, and one colour bar.
  void tokenGridDrawsTheChosenPanels() {
    const QString svg = out(QStringLiteral("grid.svg"));
    const Run run = cli({"figure", results_, "--view", "similarity-outputs-tokens", "--layers", "1,5", "--tokens", "0,2-3",
                         "--out", svg});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QLatin1String("Layer 1")) && text.contains(QLatin1String("Layer 5")));
    QVERIFY(!text.contains(QLatin1String("Layer 3")));
    // Six panels titled "exp a,b" (top-2 of the demo), one per layer and token.
    QCOMPARE(text.count(QRegularExpression(QStringLiteral(">exp \\d+,\\d+<"))), 6);
  }

  // The comparison views: the model set against the reference is chosen by its number; one
  // model's results, or the reference itself, are refused by name.
  void comparisonFiguresChooseTheModel() {
    const QString svg = out(QStringLiteral("cross.svg"));
    const Run second = cli({"figure", comparison_, "--view", "compare-experts-weights-up", "--layer", "2", "--model", "2",
                            "--out", svg});
    QVERIFY2(second.exit_code == 0, second.err.c_str());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // The demo against itself: every expert matched to itself.
    QVERIFY(QString::fromUtf8(file.readAll()).contains(QLatin1String("every expert matched to itself")));
    QString why;
    const Run reference = cli({"figure", comparison_, "--view", "compare-agreement-map", "--model", "3", "--out", svg});
    QVERIFY2(failsWith(reference, {QStringLiteral("--model 3"), QStringLiteral("other than the reference (3)")}, &why),
             qPrintable(why));
    const Run single = cli({"figure", results_, "--view", "compare-saturation", "--out", svg});
    QVERIFY2(failsWith(single, {QStringLiteral("not a comparison")}, &why), qPrintable(why));
    const Run model_of_one = cli({"figure", results_, "--view", "routing", "--layer", "1", "--model", "1", "--out", svg});
    QVERIFY2(failsWith(model_of_one, {QStringLiteral("holds one model's results")}, &why), qPrintable(why));
  }

  void viewsWithoutDataSaySo() {
    // A run of the routing alone has no similarity matrices and no PCA.
    for (const char* view : {"similarity-weights-up", "pca-matrix-gate", "diversity", "similarity-outputs-tokens"}) {
      const QString png = out(QStringLiteral("missing.png"));
      const Run run = cli({"figure", routing_results_, "--view", view, "--layer", "2", "--out", png});
      QString why;
      QVERIFY2(failsWith(run, {QStringLiteral("routing.h5 has no data for view ") + QLatin1String(view)}, &why), qPrintable(why));
      QVERIFY(!QFile::exists(png));
    }
    const QString png = out(QStringLiteral("routing_only.png"));
    QVERIFY(cli({"figure", routing_results_, "--view", "routing", "--layer", "2", "--out", png}).exit_code == 0);
  }

  void badInputsNameWhatIsWrong_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("parts");
    const QString png = QStringLiteral("OUT/bad.png");
    QTest::newRow("unknown view") << QStringList{"--view", "nope", "--layer", "0", "--out", png}
                                  << QStringList{"unknown view \"nope\"", "routing", "gate-scores"};
    QTest::newRow("no view") << QStringList{"--layer", "0", "--out", png} << QStringList{"--view"};
    QTest::newRow("layer absent") << QStringList{"--view", "routing", "--layer", "99", "--out", png}
                                  << QStringList{"--layer 99", "0-7"};
    QTest::newRow("layer missing") << QStringList{"--view", "routing", "--out", png} << QStringList{"needs --layer", "0-7"};
    QTest::newRow("token out of range") << QStringList{"--view", "gate-scores", "--layer", "0", "--token", "99", "--out", png}
                                        << QStringList{"--token 99", "out of range"};
    QTest::newRow("token missing") << QStringList{"--view", "gate-scores", "--layer", "0", "--out", png}
                                   << QStringList{"needs --token"};
    QTest::newRow("width without unit") << QStringList{"--view", "diversity", "--width", "16", "--out", png}
                                        << QStringList{"--width \"16\"", "unit"};
    QTest::newRow("absurd size") << QStringList{"--view", "diversity", "--width", "900cm", "--out", png}
                                 << QStringList{"between 1 mm and 2 m"};
    QTest::newRow("bad dpi") << QStringList{"--view", "diversity", "--dpi", "0", "--out", png} << QStringList{"DPI"};
    QTest::newRow("unknown format") << QStringList{"--view", "diversity", "--out", "OUT/bad.bmp"}
                                    << QStringList{"bad.bmp", "\"bmp\"", ".png, .pdf or .svg"};
    QTest::newRow("no out") << QStringList{"--view", "diversity"} << QStringList{"--out"};
    QTest::newRow("title and no title") << QStringList{"--view", "diversity", "--title", "T", "--no-title", "--out", png}
                                        << QStringList{"--title and --no-title"};
    QTest::newRow("unknown font") << QStringList{"--view", "diversity", "--font", "No Such Font 9", "--out", png}
                                  << QStringList{"--font \"No Such Font 9\"", "not an installed font family"};
    QTest::newRow("absurd font size") << QStringList{"--view", "diversity", "--font-size", "99", "--out", png}
                                      << QStringList{"--font-size 99", "4 to 30"};
    QTest::newRow("upside-down colour range") << QStringList{"--view", "diversity", "--colour-range", "1,0", "--out", png}
                                              << QStringList{"--colour-range", "lower limit"};
    QTest::newRow("grid choice for another view") << QStringList{"--view", "diversity", "--layers", "0", "--out", png}
                                                  << QStringList{"--layers and --tokens", "similarity-outputs-tokens"};
    QTest::newRow("grid layer absent") << QStringList{"--view", "similarity-outputs-tokens", "--layers", "99", "--out", png}
                                       << QStringList{"--layers", "99", "0-7"};
    QTest::newRow("too many grid layers") << QStringList{"--view", "similarity-outputs-tokens", "--layers", "0-7", "--out", png}
                                          << QStringList{"--layers", "at most 6"};
    QTest::newRow("grid token past the text") << QStringList{"--view", "similarity-outputs-tokens", "--tokens", "1,99", "--out", png}
                                              << QStringList{"--tokens", "99", "past the end"};
    QTest::newRow("unwritable out") << QStringList{"--view", "diversity", "--out", "OUT/no/such/folder/bad.png"}
                                    << QStringList{"bad.png"};
  }

  void badInputsNameWhatIsWrong() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, parts);
    for (QString& arg : args) arg.replace(QLatin1String("OUT"), tmp_.path());
    const Run run = cli(QStringList{"figure", results_} + args);
    QString why;
    QVERIFY2(failsWith(run, parts, &why), qPrintable(why));
    QVERIFY(!QFile::exists(out(QStringLiteral("bad.png"))));
    QVERIFY(!QFile::exists(out(QStringLiteral("bad.bmp"))));
  }

  void badResultsFilesAreErrors() {
    const QString not_results = out(QStringLiteral("not-results.h5"));
    QFile file(not_results);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not HDF5");
    file.close();
    QString why;
    const Run garbage = cli({"figure", not_results, "--view", "diversity", "--out", out(QStringLiteral("x.png"))});
    QVERIFY2(failsWith(garbage, {QStringLiteral("not-results.h5")}, &why), qPrintable(why));
    const Run missing = cli({"figure", out(QStringLiteral("missing.h5")), "--view", "diversity", "--out", out(QStringLiteral("x.png"))});
    QVERIFY2(failsWith(missing, {QStringLiteral("missing.h5")}, &why), qPrintable(why));
    QVERIFY(!QFile::exists(out(QStringLiteral("x.png"))));
    const Run none = cli({"figure", "--view", "diversity", "--out", out(QStringLiteral("x.png"))});
    QVERIFY2(failsWith(none, {QStringLiteral("results file")}, &why), qPrintable(why));
  }

#else

  void unavailableWithoutTheGui() {
    const Run run = cli({"figure", "results.h5", "--view", "routing", "--layer", "0", "--out", out(QStringLiteral("a.png"))});
    QString why;
    QVERIFY2(failsWith(run, {QStringLiteral("unavailable"), QStringLiteral("MOESCOPE_BUILD_GUI")}, &why), qPrintable(why));
    QVERIFY(!QFile::exists(out(QStringLiteral("a.png"))));
  }

#endif
};

QTEST_MAIN(TestCliFigure)
#include "test_cli_figure.moc"
