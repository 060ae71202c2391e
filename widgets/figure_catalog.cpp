#include "widgets/figure_catalog.h"

#include <QCoreApplication>
#include <map>

#include "widgets/plot_view.h"
#include "widgets/run_data_view.h"
#include "widgets/selection_model.h"
#include "widgets/view_table.h"

namespace moescope::widgets {

namespace {

struct FigureCatalog {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::FigureCatalog)
};

QVector<FigureKind> collectKinds() {
  QVector<FigureKind> kinds;
  for (const ViewEntry& entry : viewTable()) kinds += entry.figures;
  return kinds;
}

}  // namespace

const QVector<FigureKind>& figureKinds() {
  static const QVector<FigureKind> kinds = collectKinds();
  return kinds;
}

const FigureKind* findFigureKind(const QString& name) {
  for (const FigureKind& kind : figureKinds())
    if (kind.name == name) return &kind;
  return nullptr;
}

QStringList comparisonFigureSet() {
  return {QStringLiteral("compare-agreement-map"),       QStringLiteral("compare-output-cosine"),
          QStringLiteral("compare-saturation"),          QStringLiteral("compare-top1"),
          QStringLiteral("compare-saturation-over-models"), QStringLiteral("compare-experts-weights-gate"),
          QStringLiteral("compare-experts-weights-up"),  QStringLiteral("compare-experts-weights-down"),
          QStringLiteral("compare-experts-router")};
}

QStringList paperFigureSet() {
  QStringList names;
  for (const FigureKind& kind : figureKinds())
    if (kind.paper_set) names << kind.name;
  return names;
}

QString figureFileName(const FigureKind& kind, int decoder_layer, int token, FigureFormat format) {
  QString name;
  if (kind.scope != FigureScope::Run) name = QStringLiteral("layer%1_").arg(decoder_layer);
  if (kind.scope == FigureScope::Token) name += QStringLiteral("token%1_").arg(token);
  return name + kind.stem + QLatin1Char('.') + formatSuffix(format);
}

QString missingFigureData(const RunData& data, const FigureKind& kind, int layer_index, int token) {
  if (kind.scope != FigureScope::Run && (layer_index < 0 || layer_index >= data.layers().size()))
    return FigureCatalog::tr("the run has no such layer");
  return viewEntry(kind.view).missing(data, kind, layer_index, token);
}

struct FigureStage::Views {
  SelectionModel selection;
  std::map<ViewId, std::unique_ptr<PlotView>> made;
};

FigureStage::FigureStage(RunData data) : data_(std::move(data)), views_(std::make_unique<Views>()) {
  // Figures show no selection unless asked: no expert or pair markers.
  views_->selection.setExpert(-1);
  views_->selection.clearExpertPair();
}

FigureStage::~FigureStage() = default;

void FigureStage::setComparedModel(int difference) { views_->selection.setComparedModel(difference); }

void FigureStage::setSameSimilarityRange(bool same) { options_.same_similarity_range = same; }

void FigureStage::setSimilarityColourRange(const ColourRange& range) { options_.colour_range = range; }

void FigureStage::setTokenGrid(const QVector<int>& layer_indices, const QVector<int>& tokens) {
  options_.grid_layers = layer_indices;
  options_.grid_tokens = tokens;
}

QWidget* FigureStage::prepare(const FigureKind& kind, int layer_index, int token, QString* error) {
  const QString missing = missingFigureData(data_, kind, layer_index, token);
  if (!missing.isEmpty()) {
    if (error) *error = missing;
    return nullptr;
  }
  SelectionModel* selection = &views_->selection;
  // A run figure marks no layer.
  selection->setTokenAndExpert(token, -1);
  selection->setLayer(kind.scope == FigureScope::Run ? -1 : layer_index);

  const ViewEntry& entry = viewEntry(kind.view);
  std::unique_ptr<PlotView>& view = views_->made[kind.view];
  if (!view) {
    // Off screen: never shown, laid out by the export at the figure's size.
    view.reset(entry.make(selection, nullptr));
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->resize(800, 600);
    if (auto* data_view = dynamic_cast<RunDataView*>(view.get())) data_view->setRunData(data_);
  }
  entry.set_up_figure(view.get(), kind, data_, layer_index, token, options_);
  return view.get();
}

}  // namespace moescope::widgets
