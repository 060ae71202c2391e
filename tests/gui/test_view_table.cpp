// The view table is the one description of the views: the window's tabs and docks, Export All's
// figure set and the CLI's figure names all come from it, so they agree with each other.
#include <QDockWidget>
#include <QMainWindow>
#include <QSet>
#include <QTabWidget>
#include <QtTest>

#include "app/gui/main_window.h"
#include "app/gui/view_area.h"
#include "tests/support/test_support.h"
#include "widgets/figure_catalog.h"
#include "widgets/selection_model.h"
#include "widgets/token_inspector.h"
#include "widgets/view_table.h"

using namespace moescope;
using namespace moescope::widgets;

class TestViewTable : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { test::isolateSettings(QStringLiteral("test_view_table"), true); }

  void everyFigureBelongsToTheViewThatListsIt() {
    QSet<QString> names;
    for (const ViewEntry& entry : viewTable())
      for (const FigureKind& kind : entry.figures) {
        QCOMPARE(kind.view, entry.id);
        QVERIFY2(!names.contains(kind.name), qPrintable(kind.name));
        names.insert(kind.name);
        const FigureKind* found = findFigureKind(kind.name);
        QVERIFY(found && found->view == entry.id && found->stem == kind.stem);
      }
    QCOMPARE(names.size(), qsizetype(figureKinds().size()));
    // 1 routing, 14 similarity, diversity, statistics, 4 rank counts (heatmaps and bars), 6 PCA,
    // the token outputs grid, activations, the gate-weight fit, gate scores, overview; for a
    // comparison 3 agreement maps, 5 saturation curves, 7 cross-model expert heatmaps.
    QCOMPARE(figureKinds().size(), qsizetype(47));
  }

  // The paper's figures: S1 and S2 on every projection, S4, D2, the routing, the rank counts of a
  // layer and of the run (and the run's as the paper's bars), the routing statistics, a token's gate scores, the diversity curves,
  // D2 per token as the paper's small multiples and the layers x experts overview.
  void thePaperSetIsThePapersFigures() {
    const QStringList expected = {"similarity-weights-up",       "similarity-weights-gate",
                                  "similarity-weights-down",     "similarity-neuron-mean-up",
                                  "similarity-neuron-mean-gate", "similarity-neuron-mean-down",
                                  "similarity-gate-embedding",   "similarity-outputs",
                                  "routing",                     "rank-counts",
                                  "routing-statistics",          "gate-scores",
                                  "diversity",                   "rank-counts-all",
                                  "rank-bars-all",               "routing-overview",
                                  "similarity-outputs-tokens"};
    QStringList set = paperFigureSet();
    QCOMPARE(set.size(), expected.size());
    set.sort();
    QStringList sorted = expected;
    sorted.sort();
    QCOMPARE(set, sorted);
  }

  void theWindowIsBuiltFromTheTable() {
    gui::MainWindow window;
    QTabWidget* tabs = window.viewTabs();
    int tab = 0;
    for (const ViewEntry& entry : viewTable()) {
      QWidget* view = window.findChild<QWidget*>(QString::fromLatin1(entry.object_name));
      QVERIFY2(view, entry.object_name);
      switch (entry.place) {
        case ViewPlace::Tab:
        case ViewPlace::Comparison:
          // The comparison views wait, hidden, for a comparison of models.
          QCOMPARE(tabs->isTabVisible(tab), entry.place == ViewPlace::Tab);
          QCOMPARE(tabs->widget(tab), view);
          QCOMPARE(tabs->tabText(tab), entry.translatedTitle());
          QCOMPARE(tabs->tabToolTip(tab), entry.tool_tip());
          ++tab;
          break;
        case ViewPlace::Dock: {
          auto* dock = qobject_cast<QDockWidget*>(view->parentWidget());
          QVERIFY(dock);
          QCOMPARE(dock->windowTitle(), entry.translatedTitle());
          break;
        }
        case ViewPlace::Inspector:
          QVERIFY(window.tokenInspector()->isAncestorOf(view));
          break;
      }
    }
    QCOMPARE(tabs->count(), tab);
  }

  // A new list of layers (a run over a subset, another model, a results file) keeps the decoder
  // layer in view, or moves to the nearest one the list has.
  void theShownLayerStaysAcrossLayerLists() {
    QMainWindow window;
    SelectionModel selection;
    gui::ViewArea views(&window, &selection, new QWidget);
    views.setLayers({0, 1, 2, 3, 4, 5, 6, 7});
    selection.setLayer(3);  // decoder layer 3
    views.setLayers({2, 3, 4, 5});
    QCOMPARE(selection.layer(), 1);  // still decoder layer 3
    views.setLayers({0, 6, 7});
    QCOMPARE(selection.layer(), 0);  // 3 is gone: 0 is nearer than 6
    selection.setLayer(1);  // decoder layer 6
    views.setLayers({4, 8});
    QCOMPARE(selection.layer(), 0);  // 4 and 8 equally near: the lower
    views.setLayers({});
    views.setLayers({5, 9});
    QVERIFY(selection.layer() >= 0 && selection.layer() < 2);
  }
};

QTEST_MAIN(TestViewTable)
#include "test_view_table.moc"
