// moescope-cli figure results.h5 --view NAME --layer L [--token T] [--width 16cm --height 10cm
// --dpi 300] --out FILE.{png,pdf,svg}: the explorer's own views drawn headless, for scripted
// figures. Builds with the GUI only (it draws Qt widgets); without it the command says so.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/cli/commands.h"
#include "core/error.h"

#if MOESCOPE_CLI_FIGURES
#include <QApplication>
#include <QFileInfo>
#include <QFontDatabase>
#include <QStringList>

#include "app/view_data/results_loading.h"
#include "widgets/figure_catalog.h"
#include "widgets/layer_list.h"
#include "widgets/output_similarity_grid_view.h"
#include "widgets/plot_export.h"
#endif

namespace moescope::cli {
namespace {

struct FigureOptions {
  std::string results;
  std::string view;
  std::optional<int> layer;
  std::optional<int> token;
  std::string grid_layers;  // similarity-outputs-tokens: its rows and columns
  std::string grid_tokens;
  std::string width = "16cm";
  std::string height = "10cm";
  int dpi = 300;
  std::string out;
  bool list_views = false;
  // How the figure dresses (widgets::FigureStyle).
  std::optional<std::string> title;
  bool no_title = false;
  bool model_name = false;
  bool no_captions = false;
  std::string font;
  std::optional<double> font_size;
  bool paper = false;
  std::string colour_range = "auto";
  std::optional<int> model;  // a comparison's model, numbered from 1, set against the reference
};

#if MOESCOPE_CLI_FIGURES

[[noreturn]] void badArgument(const std::string& message) {
  throw Error(ErrorCategory::InvalidArgument, std::string("figure: ").append(message));
}

std::string toStd(const QString& text) { return text.toStdString(); }

// Messages are joined part by part: GCC 12 warns falsely about "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string viewNames() {
  QStringList names;
  for (const widgets::FigureKind& kind : widgets::figureKinds()) names << kind.name;
  return toStd(names.join(QStringLiteral(", ")));
}

void listViews() {
  std::size_t width = 0;
  for (const widgets::FigureKind& kind : widgets::figureKinds()) width = std::max<std::size_t>(width, toStd(kind.name).size());
  for (const widgets::FigureKind& kind : widgets::figureKinds()) {
    const char* scope = kind.scope == widgets::FigureScope::Run     ? "whole run"
                        : kind.scope == widgets::FigureScope::Token ? "layer, token"
                                                                    : "layer";
    std::string name = toStd(kind.name);
    name.resize(width + 2, ' ');
    std::cout << name << '[' << scope << "] " << toStd(kind.description) << '\n';
  }
  std::cout.flush();
}

widgets::FigureSize parseSize(const FigureOptions& options) {
  const auto width = widgets::parseLength(QString::fromStdString(options.width));
  const auto height = widgets::parseLength(QString::fromStdString(options.height));
  const auto bad_length = [](const char* option, const std::string& text) {
    badArgument(std::string(option).append(" \"").append(text).append("\": give a length with a unit, e.g. 16cm, 160mm or 6.3in"));
  };
  if (!width) bad_length("--width", options.width);
  if (!height) bad_length("--height", options.height);
  widgets::FigureSize size;
  // Both sides in the width's unit, so the figure keeps one unit throughout.
  size.unit = width->second;
  size.width = width->first;
  size.height = widgets::toInches(height->first, height->second) / widgets::toInches(1.0, width->second);
  size.dpi = options.dpi;
  QString problem;
  if (!size.isValid(&problem)) badArgument(toStd(problem));
  return size;
}

// Only the layers the view draws: reading every layer of a large run is most of the time a
// figure takes. A per-layer view needs its layer; the diversity curves and the rank counts over
// all layers come from the run's summary; any other view of the whole run (the layers x experts
// overview) needs every layer.
view_data::LayerFilter layersToRead(const widgets::FigureKind& kind, std::optional<int> layer) {
  if (kind.scope != widgets::FigureScope::Run) return layer ? view_data::LayerFilter::only(*layer) : view_data::LayerFilter::none();
  const bool summary_only = kind.view == widgets::ViewId::Diversity || kind.view == widgets::ViewId::RankCounts ||
                            kind.view == widgets::ViewId::GateFit;
  return summary_only ? view_data::LayerFilter::none() : view_data::LayerFilter{};
}

// The style the options ask for; the font is checked against the installed ones (needs the
// application).
widgets::FigureStyle figureStyle(const FigureOptions& options, const QString& model_name) {
  widgets::FigureStyle style = options.paper ? widgets::FigureStyle::paper(model_name) : widgets::FigureStyle{};
  style.model_name = model_name;
  if (options.title) {
    style.title = widgets::FigureStyle::Title::Custom;
    style.custom_title = QString::fromStdString(*options.title);
  }
  if (options.no_title) style.title = widgets::FigureStyle::Title::Hidden;
  style.with_model_name = style.with_model_name || options.model_name;
  if (options.no_captions) style.captions = false;
  if (!options.font.empty()) {
    const QString family = QString::fromStdString(options.font);
    if (!QFontDatabase::families().contains(family, Qt::CaseInsensitive))
      badArgument(cat({"--font \"", options.font, "\" is not an installed font family (for example: ",
                       toStd(QFontDatabase::families().mid(0, 5).join(QStringLiteral(", "))), ")"}));
    style.font_family = family;
  }
  if (options.font_size) style.body_points = *options.font_size;
  return style;
}

void ensureGuiApplicationPlatform() {
  // Headless by design: draw off screen unless the caller chose a platform that can start.
  const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
  const bool no_display = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
  if (platform.isEmpty() || ((platform == "xcb" || platform.startsWith("wayland")) && no_display))
    qputenv("QT_QPA_PLATFORM", "offscreen");
}

void runFigure(const FigureOptions& options) {
  if (options.list_views) return listViews();
  if (options.results.empty()) badArgument("give a results file (.h5), or --list-views to see the views");
  if (options.view.empty()) badArgument(cat({"--view is required; views: ", viewNames()}));
  const widgets::FigureKind* kind = widgets::findFigureKind(QString::fromStdString(options.view));
  if (!kind) badArgument(cat({"unknown view \"", options.view, "\"; views: ", viewNames()}));
  if (options.out.empty()) badArgument("--out FILE.png, FILE.pdf or FILE.svg is required");
  const QString out = QString::fromStdString(options.out);
  if (!widgets::figureFormatFromPath(out))
    badArgument(cat({"--out ", options.out, ": unknown format \"", toStd(QFileInfo(out).suffix()), "\"; use .png, .pdf or .svg"}));
  const widgets::FigureSize size = parseSize(options);
  if (options.title && options.no_title) badArgument("--title and --no-title exclude each other");
  if (options.font_size && !(*options.font_size >= 4 && *options.font_size <= 30))
    badArgument(cat({"--font-size ", toStd(QString::number(*options.font_size)),
                     ": give the body text size in points, 4 to 30"}));

  const view_data::LoadedResults results =
      view_data::loadResults(QString::fromStdString(options.results), layersToRead(*kind, options.layer));
  const widgets::RunData& data = results.data;
  const QVector<int> layers = data.layers();
  const std::string file_name = toStd(QFileInfo(results.path).fileName());
  const std::string layer_list = toStd(widgets::describeLayers(layers));

  int layer_index = -1;
  if (kind->scope != widgets::FigureScope::Run) {
    if (layers.isEmpty()) badArgument(cat({file_name, " has no MoE layers"}));
    if (!options.layer)
      badArgument(cat({"view ", options.view, " needs --layer (the MoE layers of ", file_name, ": ", layer_list, ")"}));
    layer_index = data.layerIndex(*options.layer);
    if (layer_index < 0)
      badArgument(cat({"--layer ", std::to_string(*options.layer), " is not a layer of ", file_name, " (its MoE layers: ",
                       layer_list, ")"}));
  }
  int token = options.token.value_or(-1);
  const int tokens = data.routing.tokenCount();
  if (kind->scope == widgets::FigureScope::Token && !options.token)
    badArgument(cat({"view ", options.view, " needs --token (0-", std::to_string(std::max(0, tokens - 1)), ")"}));
  if (options.token && (token < 0 || token >= tokens))
    badArgument(cat({"--token ", std::to_string(token), " is out of range: ", file_name, " has ", std::to_string(tokens),
                     " tokens", tokens > 0 ? cat({" (0-", std::to_string(tokens - 1), ")"}) : std::string()}));

  ensureGuiApplicationPlatform();
  // Qt's chatter (a missing runtime folder, font substitutions) would break the one-line
  // error contract on stderr; only a fatal message, which ends the process, gets through.
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtFatalMsg) std::cerr << "moescope-cli: error: " << message.toStdString() << std::endl;
  });
  static int argc = 1;
  static char name[] = "moescope-cli";
  static char* argv[] = {name, nullptr};
  QApplication app(argc, argv);

  widgets::FigureStage stage(data);
  if (!options.grid_layers.empty() || !options.grid_tokens.empty()) {
    if (kind->view != widgets::ViewId::OutputGrid)
      badArgument(cat({"--layers and --tokens choose the panels of similarity-outputs-tokens, not of view ", options.view}));
    const widgets::GridChoice choice = widgets::readGridChoice(
        QString::fromStdString(options.grid_layers), QString::fromStdString(options.grid_tokens), layers,
        [&](int index) { return data.output_similarity && data.output_similarity->hasLayer(index); }, tokens);
    if (!choice.layers_problem.isEmpty())
      badArgument(cat({"--layers: ", toStd(choice.layers_problem), " (", file_name, ")"}));
    if (!choice.tokens_problem.isEmpty()) badArgument(cat({"--tokens: ", toStd(choice.tokens_problem)}));
    stage.setTokenGrid(choice.layers, choice.tokens);
  }
  {
    QString problem;
    const std::optional<widgets::ColourRange> range = widgets::ColourRange::parse(QString::fromStdString(options.colour_range), &problem);
    if (!range) badArgument(cat({"--colour-range: ", toStd(problem)}));
    stage.setSimilarityColourRange(*range);
  }
  if (options.model) {
    const widgets::ComparisonData* comparison = data.comparison.get();
    if (!comparison) badArgument(cat({"--model chooses a model of a comparison; ", file_name, " holds one model's results"}));
    int difference = -1;
    for (int d = 0; d < comparison->differences.size(); ++d)
      if (comparison->differences[d].model + 1 == *options.model) difference = d;
    if (difference < 0) {
      const int models = int(comparison->models.size());
      badArgument(cat({"--model ", std::to_string(*options.model), ": give a model of ", file_name, " other than the reference (",
                       std::to_string(comparison->reference + 1), "), 1 to ", std::to_string(models)}));
    }
    stage.setComparedModel(difference);
  }
  QString missing;
  QWidget* view = stage.prepare(*kind, layer_index, token, &missing);
  if (!view) badArgument(cat({file_name, " has no data for view ", options.view, ": ", toStd(missing)}));
  QString error;
  const widgets::FigureStyle style = figureStyle(options, results.title);
  if (!widgets::exportFigure(view, out, size, style, &error)) throw Error(ErrorCategory::Io, cat({"figure: ", toStd(error)}));

  const widgets::FigureFormat format = *widgets::figureFormatFromPath(out);
  std::cout << "wrote " << options.out << " (";
  if (format == widgets::FigureFormat::Png)
    std::cout << size.pixels().width() << " x " << size.pixels().height() << " px at " << size.dpi << " dpi";
  else
    std::cout << toStd(widgets::formatLength(size.width, size.unit)) << " x "
              << toStd(widgets::formatLength(size.height, size.unit));
  std::cout << ")" << std::endl;
}

#else

void runFigure(const FigureOptions&) {
  throw Error(ErrorCategory::UnsupportedFormat,
              "figure: unavailable in this build of moescope-cli, which was built without the GUI "
              "(MOESCOPE_BUILD_GUI=OFF); build with the GUI to render figures");
}

#endif

}  // namespace

void addFigureCommand(CLI::App& app) {
  auto options = std::make_shared<FigureOptions>();
  CLI::App* command = app.add_subcommand(
      "figure", "Draw one of the explorer's views of a results file to PNG, PDF or SVG, without a display");
  command->add_option("results", options->results, "Results file (.h5) written by analyze or the explorer");
  command->add_option("--view", options->view, "Which view (see --list-views)");
  command->add_option("--layer", options->layer, "Decoder layer number, for per-layer views");
  command->add_option("--token", options->token, "Token position, for per-token views (gate-scores)");
  command->add_option("--layers", options->grid_layers,
                      "similarity-outputs-tokens: the layers of its rows, e.g. 6,27,31 or 2-4 (default: the first, "
                      "middle and last)");
  command->add_option("--tokens", options->grid_tokens,
                      "similarity-outputs-tokens: the token positions of its columns, e.g. 3,7,12 (default: the three "
                      "around --token, or the first three)");
  command->add_option("--model", options->model,
                      "In a comparison of three models or more: the model (numbered from 1, as given to compare) the "
                      "compare-* views set against the reference (default: the first other than the reference)");
  command->add_option("--width", options->width, "Printed width with a unit: 16cm, 160mm, 6.3in (default 16cm)");
  command->add_option("--height", options->height, "Printed height with a unit (default 10cm)");
  command->add_option("--dpi", options->dpi, "PNG resolution in dots per inch (default 300)");
  command->add_option("--out", options->out, "Output file; its suffix (.png, .pdf, .svg) picks the format");
  command->add_flag("--list-views", options->list_views, "List the views and exit");
  command->add_option("--title", options->title, "The figure's title instead of the view's own");
  command->add_flag("--no-title", options->no_title, "No title");
  command->add_flag("--model-name", options->model_name, "Put the model's name before the view's title");
  command->add_flag("--no-captions", options->no_captions, "Leave out the lines of numbers under some plots");
  command->add_option("--font", options->font, "Font family of the paper's text (default: the interface's)");
  command->add_option("--font-size", options->font_size,
                      "Body text size in points (default: 7 up to 9.5cm wide, 8 up to 14cm, 9 above)");
  command->add_option("--colour-range", options->colour_range,
                      "Similarity colour scale: auto (from the values off the diagonal), 0,1, -1,1 or LOWER,UPPER; "
                      "values beyond fixed limits are marked");
  command->add_flag("--paper", options->paper,
                    "The paper's own look: the model's name as the only title, no captions (other options refine it)");
  command->callback([options] { runFigure(*options); });
}

}  // namespace moescope::cli
