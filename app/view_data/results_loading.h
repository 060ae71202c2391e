#pragma once
// A results file (core/results) -> the widgets' plain types: routing, per-layer similarity
// matrices and the diversity curves. Runs on the worker thread; needs no model.
#include <QMetaType>
#include <QString>
#include <QVector>

#include "widgets/model_summary_panel.h"
#include "widgets/run_data.h"

namespace moescope::view_data {

struct LoadedResults {
  QString path;
  QString title;              // the model's folder name, or the file's name
  widgets::SummaryRows rows;  // the run's metadata, for the summary panel
  QString run;                // "cpu, float32" as the summary shows it
  // A generation's results: the summary's row about it ("from token 8: greedy; ..."); empty
  // otherwise.
  QPair<QString, QString> generation;
  // Empty for a whole run; for a shard (analyze --shard-out), what it holds and how to make it
  // whole, for a banner over the views.
  QString partial;
  // What the views show. Activations (D4) are read from the file a token at a time.
  widgets::RunData data;
};

// Which MoE layers loadResults reads. The layers left out stay as placeholders that hold only
// their decoder layer number, so entry i still belongs to the i-th layer of the file; the run's
// summary (diversity curves, rank counts over all layers) is always read.
struct LayerFilter {
  bool all = true;
  QVector<int> decoder_layers;  // when !all, only these

  bool reads(int decoder_layer) const { return all || decoder_layers.contains(decoder_layer); }
  static LayerFilter none() { return {false, {}}; }
  static LayerFilter only(int decoder_layer) { return {false, {decoder_layer}}; }
};

// Throws moescope::Error (Io, MalformedFile, UnsupportedFormat) as ResultsReader does.
LoadedResults loadResults(const QString& path, const LayerFilter& layers = {});

}  // namespace moescope::view_data

Q_DECLARE_METATYPE(moescope::view_data::LoadedResults)
