// Every figure MoEScope draws, at the sizes papers print them (one column 6 x 4.5 and
// 8.5 x 6 cm, 12 x 9, two columns 18 x 12 cm) and at the figure command's default (16 x 10),
// laid out legibly: each text inside the figure, clear of every other and whole inside the clip
// it is drawn with, the plots keeping a fair share of the figure, colour bars drawn with
// their gradient. The run is a real analysis (every analysis) of a small eight-expert model.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "app/view_data/results_loading.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/model_comparison.h"
#include "tests/support/gui/figure_recorder.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "tests/support/tiny_model_copy.h"
#include "widgets/figure_catalog.h"
#include "widgets/plot_export.h"

using namespace moescope;

namespace {

struct PaperSize {
  const char* name;
  double width, height;  // cm
};
constexpr PaperSize kSizes[] = {{"6x4.5", 6, 4.5}, {"8.5x6", 8.5, 6}, {"12x9", 12, 9}, {"16x10", 16, 10}, {"18x12", 18, 12}};

// The share of the figure its plot areas must keep together.
constexpr double kMinimumPlotShare = 0.15;
// A colour bar narrower than this (about 1 mm at 96 dpi) reads as a line, not a scale.
constexpr double kMinimumBarPixels = 4.0;

// The texts of `view` drawn at width x height cm as `style` dresses it.
QList<test::FigureRecorder::Text> drawnTexts(QWidget* view, double width, double height,
                                             const widgets::FigureStyle& style = {}) {
  widgets::FigureSize size;
  size.width = width, size.height = height;
  const double dpi = std::round(widgets::figureLayoutDpi());
  const QSize layout = size.layoutPixels(dpi);
  test::FigureRecorder recorder(layout, dpi);
  {
    QCPPainter painter(&recorder);
    painter.setMode(QCPPainter::pmNoCaching);
    widgets::paintFigure(view, &painter, layout, nullptr, style);
  }
  return recorder.texts();
}

const test::FigureRecorder::Text* findText(const QList<test::FigureRecorder::Text>& texts, const QString& start) {
  for (const auto& text : texts)
    if (text.text.startsWith(start)) return &text;
  return nullptr;
}

QString describe(const test::FigureRecorder::Text& text) {
  const QRectF box = text.outline.boundingRect();
  return QStringLiteral("\"%1\" at (%2, %3) %4 x %5")
      .arg(text.text)
      .arg(box.x(), 0, 'f', 1)
      .arg(box.y(), 0, 'f', 1)
      .arg(box.width(), 0, 'f', 1)
      .arg(box.height(), 0, 'f', 1);
}

// A text box shrunk by half a pixel all round, so boxes that only touch do not count as overlap.
QPolygonF shrunk(const QPolygonF& outline) {
  const QPointF centre = outline.boundingRect().center();
  QPolygonF inner;
  for (const QPointF& p : outline) {
    const QPointF towards = centre - p;
    const double length = std::hypot(towards.x(), towards.y());
    inner << (length > 1.0 ? p + towards / length * 0.5 : p);
  }
  return inner;
}

}  // namespace

class TestFigureLayout : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  widgets::RunData data_;
  widgets::RunData comparison_;

 private slots:
  void initTestCase() {
    test::TinySpec spec = test::tinyFamilySpec(checkpoint::Family::Mixtral);
    spec.experts = 8, spec.top_k = 2, spec.layers = 2, spec.intermediate = 16;
    const std::filesystem::path dir = std::filesystem::path(tmp_.path().toStdString()) / "model";
    test::writeTinyModel(dir, spec);
    pipeline::AnalysisRequest request;
    request.model_dir = dir;
    for (int64_t t = 0; t < 12; ++t) request.ids.push_back((5 * t * t + 3 * t + 2) % spec.vocab);
    request.analyses = pipeline::parseAnalyses("all");
    request.device = torch_support::DevicePreference::Cpu;
    request.output = std::filesystem::path(tmp_.path().toStdString()) / "run.h5";
    pipeline::runAnalysis(request);
    data_ = view_data::loadResults(QString::fromStdString(request.output.string())).data;
    QCOMPARE(data_.routing.layerCount(), 2);
    // The comparison figures: the model against two copies, one with its experts permuted (so
    // the matching leaves the diagonal), one with layer 1's router negated (so routing differs).
    const std::filesystem::path root = dir.parent_path();
    test::writeTinyModelCopy(dir, root / "permuted", spec, {1, 0, 3, 2, 4, 5, 7, 6});
    const std::string router = test::tinyName(spec, test::TinyTensor::Router, 1);
    test::writeTinyModelCopy(dir, root / "router1", spec, {0, 1, 2, 3, 4, 5, 6, 7},
                             [&](const std::string& name, std::vector<float>& values) {
                               if (name == router)
                                 for (float& v : values) v = -v;
                             });
    pipeline::ComparisonRequest compare;
    compare.models = {root / "permuted", root / "router1", dir};
    compare.ids = request.ids;
    compare.analyses = pipeline::parseAnalyses("routing");
    compare.device = torch_support::DevicePreference::Cpu;
    compare.output = root / "compare.h5";
    pipeline::runComparison(compare);
    comparison_ = view_data::loadResults(QString::fromStdString(compare.output.string())).data;
    QVERIFY(comparison_.comparison && comparison_.comparison->differences.size() == 2);
  }

  // The data a figure is drawn from: the comparison for the comparison views.
  const widgets::RunData& dataFor(const QString& kind) const {
    return kind.startsWith(QLatin1String("compare-")) ? comparison_ : data_;
  }

  // The explorer's own S4 fit (worked out from the loaded matrices while a run is in progress)
  // against the run's, written by the engine: two implementations of one formula on one run.
  void theExplorersGateFitAgreesWithTheRuns() {
    const widgets::GateRegression& run = data_.diversity.gate_regression;
    const widgets::GateRegression own = widgets::gateRegressionOf(data_.analyses);
    QVERIFY(!run.isEmpty());
    QCOMPARE(own.layers, run.layers);
    for (int row = 0; row < run.layers.size(); ++row)
      for (int p = 0; p < widgets::GateRegression::kProjections; ++p) {
        QCOMPARE(std::isnan(own.rAt(row, p)), std::isnan(run.rAt(row, p)));
        if (!std::isnan(run.rAt(row, p))) QVERIFY2(qAbs(own.rAt(row, p) - run.rAt(row, p)) < 1e-4f, qPrintable(QString::number(row)));
      }
    for (int p = 0; p < widgets::GateRegression::kProjections; ++p) QVERIFY(qAbs(own.mean_r2[p] - run.mean_r2[p]) < 1e-4);
  }

  void everyFigureFitsEverySize_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("width");
    QTest::addColumn<double>("height");
    for (const widgets::FigureKind& kind : widgets::figureKinds())
      for (const PaperSize& size : kSizes)
        QTest::newRow(qPrintable(kind.name + QStringLiteral(" @ ") + QLatin1String(size.name)))
            << kind.name << size.width << size.height;
  }

  void everyFigureFitsEverySize() {
    QFETCH(QString, kind);
    QFETCH(double, width);
    QFETCH(double, height);
    widgets::FigureStage stage(dataFor(kind));
    QString error;
    QWidget* view = stage.prepare(*widgets::findFigureKind(kind), 0, 1, &error);
    QVERIFY2(view, qPrintable(error));
    widgets::FigureSize size;
    size.width = width, size.height = height;
    const double dpi = std::round(widgets::figureLayoutDpi());
    const QSize layout = size.layoutPixels(dpi);
    test::FigureRecorder recorder(layout, dpi);
    widgets::PlotView::FigureLayout report;
    {
      QCPPainter painter(&recorder);
      painter.setMode(QCPPainter::pmNoCaching);
      painter.setMode(QCPPainter::pmVectorized);
      widgets::paintFigure(view, &painter, layout, &report);
    }
    QStringList problems;
    const QRectF figure(QPointF(0, 0), QSizeF(layout));
    const auto& texts = recorder.texts();
    QVERIFY(!texts.isEmpty());
    for (int i = 0; i < texts.size(); ++i) {
      if (!figure.adjusted(-0.5, -0.5, 0.5, 0.5).contains(texts[i].outline.boundingRect()))
        problems << QStringLiteral("leaves the figure: %1").arg(describe(texts[i]));
      else if (!texts[i].clip.isNull() && !texts[i].clip.adjusted(-0.5, -0.5, 0.5, 0.5).contains(texts[i].outline.boundingRect()))
        problems << QStringLiteral("cut by its clip (%1, %2 to %3, %4): %5")
                        .arg(texts[i].clip.left()).arg(texts[i].clip.top()).arg(texts[i].clip.right())
                        .arg(texts[i].clip.bottom()).arg(describe(texts[i]));
      for (int j = i + 1; j < texts.size(); ++j)
        if (shrunk(texts[i].outline).intersects(shrunk(texts[j].outline)))
          problems << QStringLiteral("overlap: %1 and %2").arg(describe(texts[i]), describe(texts[j]));
    }
    if (qobject_cast<widgets::PlotView*>(view)) {
      double plot_area = 0;
      for (const QRect& area : report.plot_areas) plot_area += double(area.width()) * area.height();
      const double share = plot_area / (figure.width() * figure.height());
      if (share < kMinimumPlotShare) problems << QStringLiteral("the plots take %1% of the figure").arg(share * 100, 0, 'f', 1);
      for (const QRect& bar : report.colour_bars) {
        bool filled = false;
        for (const auto& image : recorder.images())
          filled = filled || (image.colours > 2 && QRectF(bar).adjusted(-1, -1, 1, 1).contains(image.target) &&
                              image.target.width() >= kMinimumBarPixels && image.target.height() >= kMinimumBarPixels);
        if (!filled) problems << QStringLiteral("colour bar %1 x %2 has no gradient").arg(bar.width()).arg(bar.height());
      }
    }
    problems.removeDuplicates();
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 x %2 px:\n  ").arg(layout.width()).arg(layout.height()) +
                                            problems.mid(0, 12).join(QStringLiteral("\n  "))));
  }

  // On screen, in a narrow dock or tab (the window's docks can be dragged to any width), every
  // title and caption stays whole inside the view: broken into lines, never cut at the edges.
  void titlesStayWholeInANarrowView_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("width");
    for (const widgets::FigureKind& kind : widgets::figureKinds())
      for (int width : {220, 320})
        QTest::newRow(qPrintable(kind.name + QStringLiteral(" @ %1 px").arg(width))) << kind.name << width;
  }

  void titlesStayWholeInANarrowView() {
    QFETCH(QString, kind);
    QFETCH(int, width);
    widgets::FigureStage stage(dataFor(kind));
    auto* view = qobject_cast<widgets::PlotView*>(stage.prepare(*widgets::findFigureKind(kind), 0, 1));
    QVERIFY(view);
    view->show();  // off screen (the stage's views never reach the display), but resized as shown
    view->resize(width, 480);
    QCoreApplication::processEvents();
    view->QCustomPlot::replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(view->viewport().width(), width);
    QStringList problems;
    for (QCPLayoutElement* element : view->plotLayout()->elements(true)) {
      auto* text = qobject_cast<QCPTextElement*>(element);
      if (!text || !text->visible() || text->text().isEmpty()) continue;
      const QFontMetrics metrics(text->font());
      const QRect box = metrics.boundingRect(QRect(0, 0, 100000, 100000), Qt::AlignLeft | Qt::AlignTop, text->text());
      const double centre = text->outerRect().center().x();
      if (centre - box.width() / 2.0 < -0.5 || centre + box.width() / 2.0 > width + 0.5)
        problems << QStringLiteral("\"%1\" (%2 px wide, centred on %3) leaves the view")
                        .arg(text->text())
                        .arg(box.width())
                        .arg(centre);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
  }

  // The dress: the view's title or a typed one or none, the model's name before it, captions
  // kept or left out, the font family and the body size asked for.
  void styleDressesTheFigure() {
    widgets::FigureStage stage(data_);
    QWidget* view = stage.prepare(*widgets::findFigureKind(QStringLiteral("rank-counts")), 0, -1);
    QVERIFY(view);
    const auto own = drawnTexts(view, 18, 12);
    QVERIFY(findText(own, QStringLiteral("Layer 0:")));
    QVERIFY(findText(own, QStringLiteral("Top-1 agreement")));

    widgets::FigureStyle hidden;
    hidden.title = widgets::FigureStyle::Title::Hidden;
    hidden.captions = false;
    const auto bare = drawnTexts(view, 18, 12, hidden);
    QVERIFY(!findText(bare, QStringLiteral("Layer 0:")));
    QVERIFY(!findText(bare, QStringLiteral("Top-1 agreement")));

    widgets::FigureStyle typed;
    typed.title = widgets::FigureStyle::Title::Custom;
    typed.custom_title = QStringLiteral("Figure 2");
    QVERIFY(findText(drawnTexts(view, 18, 12, typed), QStringLiteral("Figure 2")));

    widgets::FigureStyle named;
    named.model_name = QStringLiteral("Mixtral");
    named.with_model_name = true;
    QVERIFY(findText(drawnTexts(view, 18, 12, named), QStringLiteral("Mixtral: Layer 0:")));

    const auto paper = drawnTexts(view, 18, 12, widgets::FigureStyle::paper(QStringLiteral("Mixtral")));
    const auto* title = findText(paper, QStringLiteral("Mixtral"));
    QVERIFY(title && title->text == QStringLiteral("Mixtral"));
    QVERIFY(!findText(paper, QStringLiteral("Top-1 agreement")));

    // Body text at 7 and at 14 points: the axis label twice as tall, in the family asked for.
    widgets::FigureStyle small, large;
    small.body_points = 7, large.body_points = 14;
    large.font_family = QStringLiteral("DejaVu Serif");
    const auto small_texts = drawnTexts(view, 18, 12, small);
    const auto* small_label = findText(small_texts, QStringLiteral("output-norm rank"));
    const auto large_texts = drawnTexts(view, 18, 12, large);
    const auto* large_label = findText(large_texts, QStringLiteral("output-norm rank"));
    QVERIFY(small_label && large_label);
    QCOMPARE(small_label->font.pointSizeF(), 7.0);
    QCOMPARE(large_label->font.pointSizeF(), 14.0);
    QCOMPARE(large_label->font.family(), QStringLiteral("DejaVu Serif"));
    const double ratio = large_label->outline.boundingRect().height() / small_label->outline.boundingRect().height();
    QVERIFY2(ratio > 1.8 && ratio < 2.2, qPrintable(QString::number(ratio)));
  }
};

QTEST_MAIN(TestFigureLayout)
#include "test_figure_layout.moc"
