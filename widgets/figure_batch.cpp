#include "widgets/figure_batch.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "widgets/plot_export.h"

namespace moescope::widgets {

FigureBatch::FigureBatch(RunData data, FigureBatchRequest request, QObject* parent)
    : QObject(parent), request_(std::move(request)), stage_(std::move(data)) {
  stage_.setSameSimilarityRange(request_.same_similarity_range);
  stage_.setSimilarityColourRange(request_.colour_range);
  stage_.setComparedModel(request_.compared_model);
  const QVector<int> layers = stage_.data().layers();
  const auto plan = [this](const FigureKind* kind, int layer_index, int decoder) {
    const int token = kind->scope == FigureScope::Token ? request_.token : -1;
    const QString missing = missingFigureData(stage_.data(), *kind, layer_index, token);
    if (!missing.isEmpty()) {
      skipped_ << (kind->scope == FigureScope::Run ? QStringLiteral("%1: %2").arg(kind->name, missing)
                                                   : tr("layer %1 %2: %3").arg(decoder).arg(kind->name, missing));
      return;
    }
    for (FigureFormat format : std::as_const(request_.formats))
      plan_.append({kind, layer_index, format, figureFileName(*kind, decoder, token, format)});
  };
  // Per layer first, in the paper's order, then the figures of the whole run.
  for (int index : std::as_const(request_.layer_indices)) {
    if (index < 0 || index >= layers.size()) continue;
    for (const QString& name : std::as_const(request_.figures)) {
      const FigureKind* kind = findFigureKind(name);
      if (kind && kind->scope != FigureScope::Run) plan(kind, index, layers[index]);
    }
  }
  for (const QString& name : std::as_const(request_.figures)) {
    const FigureKind* kind = findFigureKind(name);
    if (kind && kind->scope == FigureScope::Run) plan(kind, -1, -1);
  }
}

FigureBatch::~FigureBatch() = default;

QStringList FigureBatch::plannedFiles() const {
  QStringList files;
  for (const Step& step : plan_) files << step.file;
  return files;
}

void FigureBatch::start() {
  if (running_) return;
  running_ = true;
  cancelled_ = false;
  QString problem;
  const QString folder = QDir::toNativeSeparators(request_.folder);
  const QFileInfo info(request_.folder);
  if (request_.folder.trimmed().isEmpty()) problem = tr("Choose a folder for the figures.");
  else if (info.exists() && !info.isDir()) problem = tr("%1 is a file, not a folder.").arg(folder);
  else if (!info.exists() && !QDir().mkpath(request_.folder)) problem = tr("Could not create the folder %1.").arg(folder);
  else if (!QFileInfo(request_.folder).isWritable()) problem = tr("The folder %1 is not writable.").arg(folder);
  else if (plan_.isEmpty()) problem = tr("The run has none of the chosen figures for these layers.");
  if (problem.isEmpty()) request_.size.isValid(&problem);
  if (!problem.isEmpty()) {
    // Reported from the event loop like every other outcome, so callers connect after start().
    QTimer::singleShot(0, this, [this, problem] { finish(false, problem); });
    return;
  }
  QTimer::singleShot(0, this, &FigureBatch::runStep);
}

void FigureBatch::cancel() { cancelled_ = true; }

void FigureBatch::runStep() {
  if (!running_) return;
  if (cancelled_) return finish(false, QString());
  if (next_ >= plan_.size()) return finish(true, QString());
  const Step& step = plan_[next_];
  emit progress(next_, int(plan_.size()), step.file);
  // A slot connected to progress may have cancelled.
  if (cancelled_) return finish(false, QString());
  QString error;
  // A run figure of single tokens (the output similarity grid) shows the tokens around this one.
  const int token = step.kind->scope == FigureScope::Layer ? -1 : request_.token;
  QWidget* view = stage_.prepare(*step.kind, step.layer_index, token, &error);
  const QString path = QDir(request_.folder).filePath(step.file);
  if (!view || !exportFigure(view, path, request_.size, request_.style, &error))
    return finish(false, error.isEmpty() ? tr("Could not draw %1.").arg(step.file) : error);
  written_ << path;
  ++next_;
  QTimer::singleShot(0, this, &FigureBatch::runStep);
}

void FigureBatch::finish(bool ok, const QString& error) {
  running_ = false;
  if (ok) emit progress(int(plan_.size()), int(plan_.size()), QString());
  emit finished(ok, error);
}

}  // namespace moescope::widgets
