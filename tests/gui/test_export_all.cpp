// Export All Figures: the paper's figure set written for chosen layers, with names listed here
// by hand from the data the test plants (figures without data skipped), every file complete and
// of the asked size, the event loop running between figures, cancel stopping between files, and
// an unwritable folder reported. Also through the window's actions and progress dialog.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QCheckBox>
#include <QImage>
#include <QLineEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QComboBox>
#include <QtTest>

#include "app/gui/main_window.h"
#include "app/gui/view_actions.h"
#include "tests/support/test_support.h"
#include "widgets/export_all_dialog.h"
#include "widgets/figure_batch.h"
#include "widgets/figure_size_editor.h"
#include "widgets/layer_list.h"
#include "widgets/similarity_heatmap_view.h"

using namespace moescope;
using namespace moescope::widgets;

namespace {

SimilarityMatrix matrix2(float off_diagonal) {
  SimilarityMatrix m;
  m.title = QStringLiteral("similarity");
  m.labels = {QStringLiteral("0"), QStringLiteral("1")};
  m.size = 2;
  m.values = {1.0f, off_diagonal, off_diagonal, 1.0f};
  return m;
}

// Two MoE layers (decoder 3 and 5), 2 experts, top-1, 2 tokens. Both layers have the weight
// and neuron-mean matrices of every projection; only layer 3 has the gate embedding; neither
// has expert-output similarity. So per layer 3: 11 figures, per layer 5: 10, and 3 for the run.
RunData sampleData() {
  RunData data;
  data.routing.tokens = {QStringLiteral("▁Hello"), QStringLiteral("▁world")};
  data.routing.token_ids = {15, 16};
  data.routing.experts = 2;
  data.routing.top_k = 1;
  for (int decoder : {3, 5}) {
    LayerRoutingData routing;
    routing.layer = decoder;
    routing.experts = 2;
    routing.top_k = 1;
    routing.topk_ids = {0, 1};
    routing.topk_weights = {1.0f, 1.0f};
    routing.gate_scores = {0.75f, 0.25f, 0.375f, 0.625f};
    routing.output_norms = {2.0f, 1.0f, 1.5f, 3.0f};
    data.routing.layers.append(routing);

    LayerAnalyses analyses;
    analyses.layer = decoder;
    for (const char* base : {"weights_similarity", "neuron_mean_similarity"})
      for (const char* projection : {"up", "gate", "down"})
        analyses.matrices.insert(QStringLiteral("%1/%2").arg(QLatin1String(base), QLatin1String(projection)), matrix2(0.25f));
    if (decoder == 3) analyses.matrices.insert(QStringLiteral("gate_embedding_similarity"), matrix2(-0.5f));
    analyses.load = {0.5f, 0.5f};
    analyses.coactivation = {1.0f, 0.0f, 0.0f, 1.0f};
    analyses.rank_counts = {0, 2, 2, 0};
    data.analyses.append(analyses);
  }
  data.diversity.layers = {3, 5};
  data.diversity.curves.insert(QStringLiteral("weights_similarity/up"), {0.25f, 0.25f});
  data.diversity.routing.rank_counts_all = {0, 4, 4, 0};
  return data;
}

QStringList expectedFiles(const QString& suffix) {
  QStringList names;
  // In the view table's order: routing, similarity, statistics, norms vs scores, gate scores.
  for (int layer : {3, 5}) {
    for (const char* stem : {"routing", "weight_similarity_up", "weight_similarity_gate", "weight_similarity_down",
                             "neuron_mean_similarity_up", "neuron_mean_similarity_gate", "neuron_mean_similarity_down"})
      names << QStringLiteral("layer%1_%2.%3").arg(layer).arg(QLatin1String(stem), suffix);
    if (layer == 3) names << QStringLiteral("layer3_gate_embedding_similarity.") + suffix;
    for (const char* stem : {"routing_statistics", "rank_counts"})
      names << QStringLiteral("layer%1_%2.%3").arg(layer).arg(QLatin1String(stem), suffix);
    names << QStringLiteral("layer%1_token1_gate_scores_vs_norms.%2").arg(layer).arg(suffix);
  }
  names << QStringLiteral("diversity_by_layer.") + suffix << QStringLiteral("rank_counts_all_layers.") + suffix
        << QStringLiteral("rank_bars_all_layers.") + suffix << QStringLiteral("routing_overview.") + suffix;
  return names;
}

FigureBatchRequest request(const QString& folder, QList<FigureFormat> formats) {
  FigureBatchRequest r;
  r.folder = folder;
  r.layer_indices = {0, 1};
  r.formats = formats;
  r.size.width = 8;
  r.size.height = 6;
  r.size.unit = LengthUnit::Centimetres;
  r.size.dpi = 100;
  r.token = 1;
  return r;
}

QStringList sorted(QStringList list) {
  list.sort();
  return list;
}

QStringList filesIn(const QString& folder) {
  // Hidden files too: a temporary file left behind would show here.
  return sorted(QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System));
}

bool isCompletePdf(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return false;
  const QByteArray bytes = file.readAll();
  return bytes.startsWith("%PDF-") && bytes.trimmed().endsWith("%%EOF");
}

}  // namespace

class TestExportAll : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void writesThePaperFigureSet() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("figures"));  // made by the batch
    FigureBatch batch(sampleData(), request(folder, {FigureFormat::Pdf, FigureFormat::Png}));
    QStringList expected = expectedFiles(QStringLiteral("pdf")) + expectedFiles(QStringLiteral("png"));
    QCOMPARE(sorted(batch.plannedFiles()), sorted(expected));
    // Skipped: output similarity at both layers, the gate embedding at layer 5, the per-token
    // output similarity of the run.
    QCOMPARE(batch.skipped().size(), 4);
    QVERIFY(batch.skipped().join(QLatin1Char('\n')).contains(QLatin1String("similarity-outputs-tokens: the run has no per-token")));
    QVERIFY(batch.skipped().join(QLatin1Char('\n')).contains(QLatin1String("layer 5 similarity-gate-embedding")));

    // A zero-interval timer counts the event-loop turns taken while the figures are drawn.
    int turns = 0;
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, [&turns] { ++turns; });
    QSignalSpy finished(&batch, &FigureBatch::finished);
    QSignalSpy progress(&batch, &FigureBatch::progress);
    ticker.start();
    batch.start();
    QVERIFY(finished.wait(120000));
    ticker.stop();
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(filesIn(folder), sorted(expected));
    QCOMPARE(batch.written().size(), expected.size());
    QVERIFY2(turns >= expected.size() - 1, qPrintable(QString::number(turns)));
    QCOMPARE(progress.last().at(0).toInt(), int(expected.size()));
    // 8 x 6 cm at 100 DPI: 8 / 2.54 * 100 = 314.96 -> 315, 6 / 2.54 * 100 = 236.2 -> 236.
    for (const QString& name : expectedFiles(QStringLiteral("png"))) QCOMPARE(QImage(QDir(folder).filePath(name)).size(), QSize(315, 236));
    for (const QString& name : expectedFiles(QStringLiteral("pdf"))) QVERIFY2(isCompletePdf(QDir(folder).filePath(name)), qPrintable(name));
  }

  void cancelStopsBetweenFiles() {
    QTemporaryDir dir;
    FigureBatch batch(sampleData(), request(dir.path(), {FigureFormat::Pdf}));
    connect(&batch, &FigureBatch::progress, &batch, [&batch](int done) {
      if (done == 2) batch.cancel();
    });
    QSignalSpy finished(&batch, &FigureBatch::finished);
    batch.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(finished.first().at(1).toString().isEmpty());  // cancelled, not failed
    QCOMPARE(batch.written().size(), 2);
    const QStringList first_two = expectedFiles(QStringLiteral("pdf")).mid(0, 2);
    QCOMPARE(filesIn(dir.path()), sorted(first_two));
    for (const QString& name : first_two) QVERIFY(isCompletePdf(dir.filePath(name)));
  }

  void unwritableFolderIsReported() {
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("a-file"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    for (const QString& folder : {blocker, blocker + QStringLiteral("/figures")}) {
      FigureBatch batch(sampleData(), request(folder, {FigureFormat::Svg}));
      QSignalSpy finished(&batch, &FigureBatch::finished);
      batch.start();
      QVERIFY(finished.wait(10000));
      QCOMPARE(finished.first().at(0).toBool(), false);
      const QString error = finished.first().at(1).toString();
      QVERIFY2(error.contains(QDir::toNativeSeparators(folder)), qPrintable(error));
      QVERIFY(batch.written().isEmpty());
    }
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("a-file")});
  }

  void layerLists() {
    const QVector<int> available = {1, 2, 3, 5, 8};
    QCOMPARE(parseLayerList(QStringLiteral("all"), available), std::make_optional(QVector<int>{0, 1, 2, 3, 4}));
    QCOMPARE(parseLayerList(QString(), available), std::make_optional(QVector<int>{0, 1, 2, 3, 4}));
    QCOMPARE(parseLayerList(QStringLiteral("8, 1"), available), std::make_optional(QVector<int>{0, 4}));
    QCOMPARE(parseLayerList(QStringLiteral("2-5"), available), std::make_optional(QVector<int>{1, 2, 3}));
    QString error;
    QVERIFY(!parseLayerList(QStringLiteral("4"), available, &error));
    QVERIFY2(error.contains(QLatin1String("1-3, 5, 8")), qPrintable(error));
    QVERIFY(!parseLayerList(QStringLiteral("x"), available, &error));
    QVERIFY(error.contains(QLatin1String("\"x\"")));
    QCOMPARE(describeLayers({0, 1, 2, 3}), QStringLiteral("0-3"));
  }

  void dialogTurnsEntriesIntoARequest() {
    // Decoder layers 3 and 5; layer index 1 (decoder 5) and token 2 are selected.
    ExportAllDialog dialog({3, 5}, 1, 2);
    QCOMPARE(dialog.layersEdit()->text(), QStringLiteral("5"));
    QTemporaryDir dir;
    dialog.folderEdit()->setText(dir.path());
    dialog.layersEdit()->setText(QStringLiteral("3, 5"));
    dialog.formatBox(FigureFormat::Png)->setChecked(true);
    dialog.formatBox(FigureFormat::Pdf)->setChecked(false);
    dialog.formatBox(FigureFormat::Svg)->setChecked(true);
    dialog.sizeEditor()->setFigureSize(request(QString(), {}).size);
    dialog.colourRangeBox()->setCurrentText(QStringLiteral("0.2, 0.9"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const FigureBatchRequest r = dialog.request();
    QCOMPARE(r.folder, dir.path());
    QCOMPARE(r.layer_indices, (QVector<int>{0, 1}));
    QCOMPARE(r.formats, (QList<FigureFormat>{FigureFormat::Png, FigureFormat::Svg}));
    QCOMPARE(r.token, 2);
    QCOMPARE(r.size.pixels(), QSize(315, 236));
    QCOMPARE(r.figures, paperFigureSet());
    QCOMPARE(r.colour_range, ColourRange::typed(0.2, 0.9));

    // A layer the run lacks, or no format, keeps the dialog open.
    ExportAllDialog again({3, 5}, 0, -1);
    again.folderEdit()->setText(dir.path());
    again.layersEdit()->setText(QStringLiteral("4"));
    again.accept();
    QCOMPARE(again.result(), int(QDialog::Rejected));
    again.layersEdit()->setText(QStringLiteral("all"));
    for (FigureFormat format : {FigureFormat::Png, FigureFormat::Pdf, FigureFormat::Svg}) again.formatBox(format)->setChecked(false);
    again.accept();
    QCOMPARE(again.result(), int(QDialog::Rejected));
    again.formatBox(FigureFormat::Pdf)->setChecked(true);
    // Limits upside down: named, and the dialog stays.
    again.colourRangeBox()->setCurrentText(QStringLiteral("1,0"));
    again.accept();
    QCOMPARE(again.result(), int(QDialog::Rejected));
    again.colourRangeBox()->setCurrentText(QStringLiteral("auto"));
    again.accept();
    QCOMPARE(again.result(), int(QDialog::Accepted));
    QCOMPARE(again.request().colour_range.mode, ColourRange::Mode::Automatic);
    QCOMPARE(again.request().layer_indices, (QVector<int>{0, 1}));
  }

  void windowRunsTheBatchWithProgressAndCancel() {
    gui::MainWindow window;
    window.show();
    auto* actions = window.findChild<gui::ViewActions*>(QStringLiteral("ViewActions"));
    QVERIFY(actions);
    QVERIFY(actions->exportAllAction());
    QCOMPARE(actions->exportFigureAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    // Before anything is shown there is nothing to export (a results file's run: test_analysis_views).
    QVERIFY(actions->figureData().layers().isEmpty());

    QTemporaryDir dir;
    QSignalSpy messages(actions, &gui::ViewActions::message);
    FigureBatch* batch = actions->startBatch(sampleData(), request(dir.path(), {FigureFormat::Svg}));
    auto* progress = window.findChild<QProgressDialog*>();
    QVERIFY(progress);
    // The user sees the progress dialog and presses Cancel while the second figure is announced.
    bool shown = false;
    connect(batch, &FigureBatch::progress, progress, [progress, &shown](int done) {
      if (done != 1) return;
      shown = progress->isVisible();
      progress->findChild<QPushButton*>()->click();
    });
    QVERIFY(messages.wait(30000));
    QVERIFY(shown);
    QVERIFY2(messages.last().at(0).toString().contains(QLatin1String("cancelled")), qPrintable(messages.last().at(0).toString()));
    QTRY_VERIFY(!window.findChild<QProgressDialog*>());
    QCOMPARE(filesIn(dir.path()), QStringList{expectedFiles(QStringLiteral("svg")).first()});

    // An unwritable folder reaches the user as an error, and the window lives on.
    QSignalSpy failures(actions, &gui::ViewActions::failed);
    actions->startBatch(sampleData(), request(QStringLiteral("/proc/no-such-place/figures"), {FigureFormat::Svg}));
    QVERIFY(failures.wait(10000));
    QVERIFY(failures.last().at(1).toString().contains(QLatin1String("no-such-place")));
    QVERIFY(window.isVisible());
  }
};

QTEST_MAIN(TestExportAll)
#include "test_export_all.moc"
