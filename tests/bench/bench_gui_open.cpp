// How long the explorer takes to open a large results file: 64 experts x 28 layers x 2048
// tokens by default (DeepSeekMoE-16B-sized), written here through ResultsWriter with planted
// routing. Prints the time to open the file (ResultsReader, which first checks the whole file
// in a child process), to convert it into the views' data (loadResults, the worker's part),
// and to show it in the window (until the window is idle again). No timing asserts.
//   bench_gui_open [--experts 64] [--layers 28] [--tokens 2048] [--repeat 3] [--keep FILE]
#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/gui/main_window.h"
#include "app/view_data/dataset_source.h"
#include "app/view_data/layer_loading.h"
#include "app/view_data/results_loading.h"
#include "core/results/results_file.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/synthetic_results.h"

using namespace moescope;

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setOrganizationName(QStringLiteral("MoEScopeBench"));
  QApplication::setApplicationName(QStringLiteral("bench-gui-open"));

  const bench::SyntheticRunShape shape = bench::shapeArguments(argc, argv);
  const int repeat = std::max(1, bench::intArgument(argc, argv, "--repeat", 3));
  QTemporaryDir dir;
  std::string path = bench::stringArgument(argc, argv, "--keep");
  if (path.empty()) path = dir.filePath(QStringLiteral("synthetic.h5")).toStdString();

  QElapsedTimer timer;
  if (!std::filesystem::exists(path)) {
    timer.start();
    bench::writeSyntheticResults(path, shape);
    std::printf("wrote %s: %d experts x %d layers x %d tokens, top-%d, %.1f MB in %.1f s\n", path.c_str(), shape.experts,
                shape.layers, shape.tokens, shape.top_k, double(std::filesystem::file_size(path)) / 1e6,
                double(timer.elapsed()) / 1000.0);
  } else {
    std::printf("using %s (%.1f MB)\n", path.c_str(), double(std::filesystem::file_size(path)) / 1e6);
  }

  std::vector<double> open_ms, load_ms, window_ms;
  const QString qpath = QString::fromStdString(path);
  for (int i = 0; i < repeat; ++i) {
    timer.start();
    { const auto reader = results::ResultsReader::open(path); }
    open_ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    timer.start();
    const view_data::LoadedResults loaded = view_data::loadResults(qpath);
    load_ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    if (loaded.data.routing.layerCount() != shape.layers || loaded.data.routing.tokenCount() != shape.tokens) {
      std::fprintf(stderr, "loaded %d layers x %d tokens, expected %d x %d\n", loaded.data.routing.layerCount(),
                   loaded.data.routing.tokenCount(), shape.layers, shape.tokens);
      return 1;
    }
  }
  // Where the conversion spends its time: the projections (S5) of every layer alone.
  std::vector<double> pca_ms;
  for (int i = 0; i < repeat; ++i) {
    const auto reader = results::ResultsReader::open(path);
    const view_data::FileDatasets source(reader);
    timer.start();
    for (int layer : reader.listLayers()) view_data::readPca(source, layer);
    pca_ms.push_back(double(timer.nsecsElapsed()) / 1e6);
  }
  for (int i = 0; i < repeat; ++i) {
    gui::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QSignalSpy idle(&window, &gui::MainWindow::idle);
    timer.start();
    window.openResultsFile(qpath);
    if (!idle.wait(600'000)) return 1;
    QApplication::processEvents();
    window.repaint();
    window_ms.push_back(double(timer.nsecsElapsed()) / 1e6);
  }
  std::printf("ResultsReader::open (incl. the file check in a child process): median %.0f ms\n", median(open_ms));
  std::printf("loadResults (open + convert every layer, the data model):     median %.0f ms\n", median(load_ms));
  std::printf("  of which reading the PCA points (S5) of every layer:         median %.0f ms\n", median(pca_ms));
  std::printf("open in the window until shown and idle:                      median %.0f ms\n", median(window_ms));
  return 0;
}
