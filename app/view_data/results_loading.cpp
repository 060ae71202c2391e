#include "app/view_data/results_loading.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <variant>
#include <string>

#include "app/view_data/comparison_loading.h"
#include "app/view_data/token_slice_sources.h"
#include "app/view_data/dataset_source.h"
#include "app/view_data/layer_loading.h"
#include "core/analysis/line_fit.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_summary.h"
#include "core/error.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "widgets/layer_list.h"

namespace moescope::view_data {

namespace {

namespace layout = results::layout;

// lupdate takes a function whose return type is spelled "widgets::SummaryRows" for a member of
// a "widgets" scope and then files the strings inside it under the wrong context.
using widgets::SummaryRows;

// The context of this file's strings in the translations.
struct ResultsLoading {
  Q_DECLARE_TR_FUNCTIONS(moescope::view_data::ResultsLoading)
};

QString fromStd(const std::string& text) { return QString::fromStdString(text); }

QStringList toStringList(const std::vector<std::string>& strings) {
  QStringList list;
  list.reserve(qsizetype(strings.size()));
  for (const std::string& s : strings) list.append(fromStd(s));
  return list;
}

QVector<int> toInts(const std::vector<int64_t>& values) {
  QVector<int> out;
  out.reserve(qsizetype(values.size()));
  for (int64_t v : values) out.append(int(v));
  return out;
}

QVector<qint64> toInt64s(const std::vector<int64_t>& values) {
  QVector<qint64> out;
  out.reserve(qsizetype(values.size()));
  for (int64_t v : values) out.append(qint64(v));
  return out;
}

double attributeNumber(const results::ResultsReader& reader, std::string_view path, std::string_view key) {
  const std::optional<AttributeValue> value = reader.attribute(path, key);
  if (value) {
    if (const double* d = std::get_if<double>(&*value)) return *d;
    if (const int64_t* i = std::get_if<int64_t>(&*value)) return double(*i);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// Datasets under a group, recursively, as paths relative to it ("weights_similarity/up").
void collectDatasets(const results::ResultsReader& reader, const std::string& group, const std::string& prefix,
                     std::vector<std::string>* out) {
  for (const std::string& child : reader.children(group)) {
    const std::string path = group + "/" + child;
    const std::string relative = prefix.empty() ? child : prefix + "/" + child;
    if (reader.isGroup(path)) collectDatasets(reader, path, relative, out);
    else out->push_back(relative);
  }
}

QPair<QString, QString> generationRow(const results::RunMetadata& meta) {
  return {ResultsLoading::tr("Generation"),
          ResultsLoading::tr("from token %1: %2").arg(meta.generation_start).arg(fromStd(meta.generation))};
}

SummaryRows summaryRows(const results::RunMetadata& meta, const QString& path) {
  widgets::SummaryRows rows;
  rows.append({ResultsLoading::tr("Results file"), QDir::toNativeSeparators(path)});
  if (!meta.model.empty()) rows.append({ResultsLoading::tr("Model"), fromStd(meta.model)});
  if (!meta.family.empty()) rows.append({ResultsLoading::tr("Family"), fromStd(meta.family)});
  rows.append({ResultsLoading::tr("Decoder layers"), QString::number(meta.layers)});
  rows.append({ResultsLoading::tr("Experts"), QString::number(meta.experts)});
  rows.append({ResultsLoading::tr("Top-k"), QString::number(meta.top_k)});
  if (!meta.device.empty() || !meta.dtype.empty())
    rows.append({ResultsLoading::tr("Run on"), QStringLiteral("%1, %2").arg(fromStd(meta.device), fromStd(meta.dtype))});
  if (!meta.analyses.empty()) {
    QStringList names;
    for (const std::string& name : meta.analyses) names.append(fromStd(name));
    rows.append({ResultsLoading::tr("Analyses"), names.join(QStringLiteral(", "))});
  }
  if (!meta.created.empty()) rows.append({ResultsLoading::tr("Created"), fromStd(meta.created)});
  if (!meta.moescope_version.empty()) rows.append({ResultsLoading::tr("Written by"), QStringLiteral("MoEScope ") + fromStd(meta.moescope_version)});
  if (meta.generation_start >= 0) rows.append(generationRow(meta));
  return rows;
}

// A shard holds some layers of a run and no summary over layers; a shard of a corpus's texts
// holds its layers' aggregates over those texts unfinished, and the per-token results only
// when it holds text 0.
QString partialNotice(const results::ResultsReader& reader) {
  const auto held = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardLayers);
  if (!held) return {};
  const auto all = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kModelMoeLayers);
  QString notice = ResultsLoading::tr("Partial results: this file is a shard of a larger run. It holds layers %1 of the "
                                      "model's MoE layers %2, and no summary over layers.")
                       .arg(widgets::describeLayers(toInts(*held)),
                            widgets::describeLayers(toInts(all.value_or(std::vector<int64_t>{}))));
  const auto texts = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardTexts);
  if (texts && texts->size() == 2) {
    const int64_t corpus = reader.attributeAs<int64_t>(layout::kRoot, layout::attr::kCorpusTexts).value_or(0);
    notice += QLatin1Char(' ') + ResultsLoading::tr("Of the corpus's %1 texts it holds texts %2 only, so the aggregates "
                                                    "over texts (mean output similarity, rank counts, load, "
                                                    "co-activation, vocabulary) are not shown.")
                                     .arg(corpus)
                                     .arg((*texts)[0] == (*texts)[1] ? QString::number((*texts)[0])
                                                                     : QStringLiteral("%1-%2").arg((*texts)[0]).arg((*texts)[1]));
    if ((*texts)[0] > 0)
      notice += QLatin1Char(' ') + ResultsLoading::tr("The per-token and weight results are in the shard holding text 0.");
  }
  return notice + QLatin1Char(' ') +
         ResultsLoading::tr("Join the shards with \"moescope-cli merge\" for the whole run.");
}

// A file without a summary over layers (a shard) still has each finished layer's completion
// record (docs/results-format.md): its diversity measures and gate regression give the curves.
void curvesFromLayerRecords(const results::ResultsReader& reader, widgets::DiversityCurves& diversity) {
  std::vector<pipeline::LayerRecord> records;
  std::vector<analysis::LineFit> fits[widgets::GateRegression::kProjections];
  widgets::GateRegression& fit = diversity.gate_regression;
  for (int layer : diversity.layers) {
    pipeline::LayerRecord& record = records.emplace_back();
    record.layer = layer;
    if (!pipeline::hasLayerRecord(reader, layer)) continue;
    record = pipeline::readLayerRecord(reader, layer);
    if (!record.regression) continue;
    fit.layers.append(layer);
    for (int p = 0; p < widgets::GateRegression::kProjections; ++p) {
      const analysis::LineFit& projection = (*record.regression)[size_t(p)];
      fit.r.append(float(projection.r));
      fit.r2.append(float(projection.r_squared));
      fits[p].push_back(projection);
    }
  }
  for (const auto& [measure, values] : pipeline::diversityCurves(records)) {
    // A measure with no value anywhere is not worth a legend entry.
    if (std::all_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) continue;
    diversity.curves.insert(fromStd(pipeline::diversityMeasureName(measure)), QVector<float>(values.begin(), values.end()));
  }
  for (int p = 0; p < widgets::GateRegression::kProjections; ++p) fit.mean_r2[p] = analysis::meanRSquared(fits[p]);
}

}  // namespace

LoadedResults loadResults(const QString& path, const LayerFilter& layer_filter) {
  const std::filesystem::path file(path.toStdString());
  auto shared_reader = std::make_shared<const results::ResultsReader>(results::ResultsReader::open(file));
  const auto root_reader = shared_reader;
  // A comparison file keeps each model's results below /models/<i>: the reference model's are
  // shown, as its own results file would be, with the comparison beside them.
  std::optional<std::pair<int64_t, int64_t>> comparison;  // reference, models
  if (isComparisonFile(*shared_reader)) {
    const int64_t reference =
        shared_reader->attributeAs<int64_t>(layout::compare::kGroup, layout::compare::kReference).value_or(0);
    const auto models = shared_reader->attributeAs<std::vector<std::string>>(layout::compare::kGroup, layout::compare::kModels)
                            .value_or(std::vector<std::string>{});
    comparison = {reference, static_cast<int64_t>(models.size())};
    shared_reader = std::make_shared<const results::ResultsReader>(
        results::ResultsReader::open(file, layout::modelGroup(static_cast<std::size_t>(std::max<int64_t>(reference, 0)))));
  }
  const results::ResultsReader& reader = *shared_reader;
  const results::RunMetadata& meta = reader.metadata();

  LoadedResults out;
  out.path = path;
  const QString model = fromStd(meta.model);
  out.title = model.isEmpty() ? QFileInfo(path).fileName() : QFileInfo(model).fileName();
  if (out.title.isEmpty()) out.title = QFileInfo(path).fileName();
  out.rows = summaryRows(meta, path);
  if (meta.generation_start >= 0) out.generation = generationRow(meta);
  out.run = QStringLiteral("%1, %2").arg(fromStd(meta.device), fromStd(meta.dtype));
  out.partial = partialNotice(reader);
  if (comparison)
    out.rows.insert(1, {ResultsLoading::tr("Comparison"),
                        ResultsLoading::tr("model %1 of %2 shown (the reference); the Compare tabs show the others "
                                           "against it")
                            .arg(comparison->first + 1)
                            .arg(comparison->second)});
  if (!out.partial.isEmpty())
    out.rows.insert(1, {ResultsLoading::tr("Partial"),
                        ResultsLoading::tr("a shard: layers %1")
                            .arg(widgets::describeLayers(toInts(
                                *reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardLayers))))});

  // Tokens.
  widgets::RoutingData& routing = out.data.routing;
  routing.experts = meta.experts;
  routing.top_k = meta.top_k;
  if (reader.has(layout::kTokenIds)) routing.token_ids = toInts(reader.readInt(layout::kTokenIds).values);
  if (reader.has(layout::kTokenText)) routing.tokens = toStringList(reader.readStrings(layout::kTokenText));
  else
    for (int id : routing.token_ids) routing.tokens.append(QString::number(id));
  if (meta.generation_start >= 0 && meta.generation_start < routing.tokens.size())
    routing.generation_start = int(meta.generation_start);

  // Per layer: routing, matrices and projections, entry i for the i-th layer of the file.
  const std::vector<int> layers = reader.listLayers();
  const FileDatasets source(reader);
  for (int layer : layers) {
    if (!layer_filter.reads(layer)) {
      widgets::LayerRoutingData routing_placeholder;
      routing_placeholder.layer = layer;
      routing.layers.append(std::move(routing_placeholder));
      widgets::LayerAnalyses analyses_placeholder;
      analyses_placeholder.layer = layer;
      out.data.analyses.append(std::move(analyses_placeholder));
      widgets::LayerPca pca_placeholder;
      pca_placeholder.layer = layer;
      out.data.pca.append(std::move(pca_placeholder));
      continue;
    }
    LoadedLayer loaded = readLayer(source, layer, meta.experts, meta.top_k);
    if (routing.experts <= 0) routing.experts = loaded.routing.experts;
    if (routing.top_k <= 0) routing.top_k = loaded.routing.top_k;
    routing.layers.append(std::move(loaded.routing));
    out.data.analyses.append(std::move(loaded.analyses));
    out.data.pca.append(std::move(loaded.pca));
  }
  const QVector<int> decoder_layers(layers.begin(), layers.end());
  // A source only where some layer has the dataset: views tell "none in this run" from "none here".
  const auto tokenSlices = [&](std::string_view dataset) -> widgets::TokenSliceSourcePtr {
    auto source = std::make_shared<FileTokenSlices>(shared_reader, decoder_layers, std::string(dataset));
    for (qsizetype i = 0; i < decoder_layers.size(); ++i)
      if (source->hasLayer(int(i))) return source;
    return nullptr;
  };
  out.data.activations = tokenSlices(layout::ds::kActivations);
  out.data.output_similarity = tokenSlices(layout::ds::kOutputSimilarity);

  // Long-text runs keep every text's tokens; the per-token arrays belong to the first text.
  int routed_tokens = -1;
  for (const widgets::LayerRoutingData& layer : routing.layers)
    if (layer.tokenCount() > 0) routed_tokens = qMax(routed_tokens, layer.tokenCount());
  if (routed_tokens >= 0 && routing.tokens.size() > routed_tokens) {
    routing.tokens = routing.tokens.mid(0, routed_tokens);
    routing.token_ids = routing.token_ids.mid(0, qMin<qsizetype>(routed_tokens, routing.token_ids.size()));
  }

  if (comparison) out.data.comparison = loadComparison(*root_reader, routing);

  // Diversity curves, re-indexed to the order of /layers.
  widgets::DiversityCurves& diversity = out.data.diversity;
  diversity.layers = QVector<int>(layers.begin(), layers.end());
  // The routing summary: all layers' rank counts, and the top-1 agreement per layer and overall.
  if (reader.has(layout::kSummaryRankCountsAll) && !reader.isGroup(layout::kSummaryRankCountsAll))
    diversity.routing.rank_counts_all = toInt64s(reader.readInt(layout::kSummaryRankCountsAll).values);
  if (reader.has(layout::kSummaryTop1Agreement) && !reader.isGroup(layout::kSummaryTop1Agreement)) {
    diversity.routing.top1_agreement_overall =
        attributeNumber(reader, layout::kSummaryTop1Agreement, results::layout::attr::kOverall);
    const std::vector<float> shares = reader.readFloat(layout::kSummaryTop1Agreement).values;
    const std::vector<int64_t> summary_layers =
        reader.has(layout::kSummaryLayers) ? reader.readInt(layout::kSummaryLayers).values : std::vector<int64_t>();
    for (size_t i = 0; i < shares.size(); ++i) {
      // Without /summary/layers, entry i is the i-th MoE layer.
      const qsizetype index = i < summary_layers.size() ? diversity.layers.indexOf(int(summary_layers[i]))
                              : summary_layers.empty()  ? qsizetype(i)
                                                        : -1;
      if (index >= 0 && index < out.data.analyses.size()) out.data.analyses[index].top1_agreement = shares[i];
    }
  }

  // S4's regression, rows in the order of /summary/layers.
  if (reader.has(layout::kSummaryGateRegressionR2) && !reader.isGroup(layout::kSummaryGateRegressionR2) &&
      reader.has(layout::kSummaryLayers)) {
    const auto r2 = reader.readFloat(layout::kSummaryGateRegressionR2);
    const std::vector<int64_t> summary_layers = reader.readInt(layout::kSummaryLayers).values;
    widgets::GateRegression& fit = diversity.gate_regression;
    const bool has_r = reader.has(layout::kSummaryGateRegressionR) && !reader.isGroup(layout::kSummaryGateRegressionR);
    const auto r = has_r ? reader.readFloat(layout::kSummaryGateRegressionR) : decltype(r2){};
    const int64_t rows = r2.shape.size() == 2 && r2.dim(1) == widgets::GateRegression::kProjections
                             ? std::min<int64_t>(r2.dim(0), int64_t(summary_layers.size()))
                             : 0;
    const bool r_matches = has_r && r.shape == r2.shape;
    for (int64_t i = 0; i < rows; ++i) {
      fit.layers.append(int(summary_layers[size_t(i)]));
      for (int p = 0; p < widgets::GateRegression::kProjections; ++p) {
        fit.r2.append(r2.at(i, p));
        fit.r.append(r_matches ? r.at(i, p) : std::numeric_limits<float>::quiet_NaN());
      }
    }
    if (const auto mean = reader.attributeAs<std::vector<double>>(layout::kSummaryGateRegressionR2, layout::attr::kMean))
      for (size_t p = 0; p < mean->size() && p < size_t(widgets::GateRegression::kProjections); ++p)
        fit.mean_r2[qsizetype(p)] = (*mean)[p];
  }

  const std::string group(layout::kSummaryDiversityGroup);
  if (reader.has(layout::kSummaryLayers) && reader.has(group) && reader.isGroup(group)) {
    const std::vector<int64_t> summary_layers = reader.readInt(layout::kSummaryLayers).values;
    std::vector<std::string> measures;
    collectDatasets(reader, group, std::string(), &measures);
    for (const std::string& measure : measures) {
      const std::vector<float> values = reader.readFloat(group + "/" + measure).values;
      QVector<float> curve(diversity.layers.size(), std::numeric_limits<float>::quiet_NaN());
      for (size_t i = 0; i < values.size() && i < summary_layers.size(); ++i) {
        const qsizetype index = diversity.layers.indexOf(int(summary_layers[i]));
        if (index >= 0) curve[index] = values[i];
      }
      // A measure with no value anywhere is not worth a legend entry.
      if (std::any_of(curve.cbegin(), curve.cend(), [](float v) { return !std::isnan(v); }))
        diversity.curves.insert(fromStd(measure), curve);
    }
  }
  // A shard has no summary over layers at all; a whole run's file may lack a part of it.
  if (!reader.has(layout::kSummaryLayers)) curvesFromLayerRecords(reader, diversity);
  return out;
}

}  // namespace moescope::view_data
