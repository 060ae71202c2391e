// The time from a selection change to every view updated and repainted, on a results file of
// 64 experts x 28 layers x 2048 tokens (written here with planted routing), with each tab in
// front in turn. A change is: the selection model's setter (what a click or a key calls), the
// events it posted (the views ask for an update and are painted here, together), then a
// synchronous repaint of the whole window (QWidget::repaint on the offscreen platform). The
// goal is one 60 Hz frame, 16.7 ms. Also a click on a token chip through the event system,
// and each view's own replot after a layer change, to see where the time goes. Each figure is
// given as wall-clock time and as the GUI thread's CPU time: on a shared machine the CPU time
// is what the same work takes when nothing else runs. No asserts.
// With --screenshots DIR it saves the window with each tab in front (for looking at the views
// on a large run).
//   bench_gui_selection [--experts 64] [--layers 28] [--tokens 2048] [--changes 40] [--tab N] [--keep FILE]
//                       [--only token|layer|expert] [--screenshots DIR]
// --tab and --only narrow the run to one tab and one kind of change, e.g. for a profiler.
#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/gui/main_window.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/synthetic_results.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/plot_view.h"
#include "widgets/selection_model.h"
#include "widgets/token_chip.h"
#include "widgets/token_strip.h"

using namespace moescope;

namespace {

// The calling thread's CPU time in ms.
double threadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

struct Sample {
  double wall = 0;
  double cpu = 0;
  double update_cpu = 0;  // of which the views' handlers of the change and their own painting
};

struct Stats {
  double mean = 0, median = 0, p95 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x / double(v.size());
  s.median = v[v.size() / 2];
  s.p95 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.95))];
  s.max = v.back();
  return s;
}

void print(const char* what, const QString& tab, const std::vector<Sample>& samples) {
  std::vector<double> wall, cpu, update;
  for (const Sample& s : samples) wall.push_back(s.wall), cpu.push_back(s.cpu), update.push_back(s.update_cpu);
  const Stats w = stats(wall), c = stats(cpu), u = stats(update);
  std::printf("  %-24s %-7s wall: median %6.2f p95 %6.2f | GUI-thread CPU: median %6.2f p95 %6.2f max %6.2f"
              " (views' update %5.2f, repaint %5.2f)%s\n",
              what, qPrintable(tab), w.median, w.p95, c.median, c.p95, c.max, u.median, c.median - u.median,
              c.p95 <= 16.7 ? "" : "  over one frame");
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setOrganizationName(QStringLiteral("MoEScopeBench"));
  QApplication::setApplicationName(QStringLiteral("bench-gui-selection"));

  const bench::SyntheticRunShape shape = bench::shapeArguments(argc, argv);
  const int changes = std::max(4, bench::intArgument(argc, argv, "--changes", 40));
  QTemporaryDir dir;
  std::string path = bench::stringArgument(argc, argv, "--keep");
  if (path.empty()) path = dir.filePath(QStringLiteral("synthetic.h5")).toStdString();
  if (!std::filesystem::exists(path)) bench::writeSyntheticResults(path, shape);

  gui::MainWindow window;
  window.resize(1600, 1000);
  window.show();
  if (!QTest::qWaitForWindowExposed(&window)) return 1;
  QSignalSpy idle(&window, &gui::MainWindow::idle);
  window.openResultsFile(QString::fromStdString(path));
  if (!idle.wait(600'000) || window.routing().tokenCount() != shape.tokens) {
    std::fprintf(stderr, "could not open %s\n", path.c_str());
    return 1;
  }
  std::printf("%d experts x %d layers x %d tokens, window 1600 x 1000, offscreen; times in ms, %d changes each\n",
              shape.experts, shape.layers, shape.tokens, changes);

  widgets::SelectionModel* selection = window.selection();
  QTabWidget* tabs = window.viewTabs();
  std::mt19937 random(3);
  std::uniform_int_distribution<int> token(0, shape.tokens - 1);
  auto timed = [&](const std::function<void()>& change) {
    QElapsedTimer timer;
    timer.start();
    const double cpu = threadCpuMs();
    change();
    QApplication::processEvents();  // anything a view posted for itself
    const double updated = threadCpuMs();
    window.repaint();
    const double done = threadCpuMs();
    return Sample{double(timer.nsecsElapsed()) / 1e6, done - cpu, updated - cpu};
  };
  const int only_tab = bench::intArgument(argc, argv, "--tab", -1);
  const std::string only_kind = bench::stringArgument(argc, argv, "--only");
  const auto runs = [&](const char* kind) { return only_kind.empty() || only_kind == kind; };
  for (int tab = 0; tab < tabs->count(); ++tab) {
    if (only_tab >= 0 && tab != only_tab) continue;
    // Views behind other tabs put off their updates: bringing the tab to the front pays for
    // what they missed during the previous tab's changes (and, the first time, its layout).
    const Sample switched = timed([&] { tabs->setCurrentIndex(tab); });
    const QString name = tabs->tabText(tab).remove(QLatin1Char('&'));
    timed([] {});  // lay the tab out once
    std::vector<Sample> idle_ms, token_ms, layer_ms, expert_ms;
    for (int i = 0; i < changes; ++i) idle_ms.push_back(timed([] {}));
    for (int i = 0; runs("token") && i < changes; ++i)
      token_ms.push_back(timed([&] { selection->setToken(token(random)); }));
    for (int i = 0; runs("layer") && i < changes; ++i)
      layer_ms.push_back(timed([&] { selection->setLayer((selection->layer() + 1) % shape.layers); }));
    for (int i = 0; runs("expert") && i < changes; ++i)
      expert_ms.push_back(timed([&] { selection->setExpert((selection->expert() + 1) % shape.experts); }));
    std::printf("%s\n", qPrintable(name));
    if (const std::string shots = bench::stringArgument(argc, argv, "--screenshots"); !shots.empty()) {
      window.grab().save(QStringLiteral("%1/tab%2.png").arg(QString::fromStdString(shots)).arg(tab));
      if (auto* pca = qobject_cast<widgets::PcaScatterView*>(tabs->currentWidget())) {
        pca->setLevel(widgets::PcaScatterView::Level::Neuron);
        window.grab().save(QStringLiteral("%1/tab%2-neurons.png").arg(QString::fromStdString(shots)).arg(tab));
        pca->setLevel(widgets::PcaScatterView::Level::Matrix);
      }
    }
    print("switch to this tab", QString(), {switched});
    print("repaint only, no change", QString(), idle_ms);
    if (runs("token")) print("token change", QString(), token_ms);
    if (runs("layer")) print("layer change", QString(), layer_ms);
    if (runs("expert")) print("expert change", QString(), expert_ms);
  }
  if (!only_kind.empty()) return 0;

  // A real click on a token chip, through the event system.
  tabs->setCurrentIndex(0);
  widgets::TokenStrip* strip = window.tokenStrip();
  std::vector<Sample> click_ms;
  for (int i = 0; i < changes; ++i) {
    widgets::TokenChip* chip = strip->chip(i * 3 % std::min(60, strip->chipCount()));
    click_ms.push_back(timed([&] { QTest::mouseClick(chip, Qt::LeftButton); }));
  }
  print("token chip click", tabs->tabText(0).remove(QLatin1Char('&')), click_ms);

  // Where a layer change spends its time: what each plot's redraw costs, shown or not (hidden
  // ones skip it until they are shown).
  std::printf("redraw after a layer change, per view (hidden ones wait until shown):\n");
  for (widgets::PlotView* view : window.findChildren<widgets::PlotView*>()) {
    std::vector<Sample> ms;
    for (int i = 0; i < 10; ++i) {
      selection->setLayer((selection->layer() + 1) % shape.layers);
      QElapsedTimer timer;
      timer.start();
      const double cpu = threadCpuMs();
      static_cast<QCustomPlot*>(view)->replot(QCustomPlot::rpImmediateRefresh);
      const double done = threadCpuMs();
      ms.push_back({double(timer.nsecsElapsed()) / 1e6, done - cpu, done - cpu});
    }
    const QString name = QString::fromLatin1(view->metaObject()->className()).section(QStringLiteral("::"), -1);
    print(qPrintable(name), view->isVisible() ? QStringLiteral("shown") : QStringLiteral("hidden"), ms);
  }
  return 0;
}
