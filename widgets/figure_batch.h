#pragma once
// File > Export All Figures: the paper's figure set for chosen layers, written into a folder
// one file per event-loop step, because widgets draw only on the GUI thread and the window must
// stay responsive. Each file appears complete or not at all; cancel stops before the next file.
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include "widgets/colour_range.h"
#include "widgets/figure_style.h"
#include "widgets/figure_catalog.h"
#include "widgets/figure_size.h"

namespace moescope::widgets {

struct FigureBatchRequest {
  QString folder;
  QVector<int> layer_indices;  // MoE layer indices
  QList<FigureFormat> formats{FigureFormat::Pdf};
  FigureSize size;
  FigureStyle style;
  int token = -1;  // for the token figures; -1 leaves them out
  bool same_similarity_range = false;
  ColourRange colour_range;  // the similarity figures' limits
  QStringList figures = paperFigureSet();
  // In a comparison of models, the model its figures set against the reference (an index into
  // ComparisonData::differences).
  int compared_model = 0;
};

class FigureBatch : public QObject {
  Q_OBJECT

 public:
  FigureBatch(RunData data, FigureBatchRequest request, QObject* parent = nullptr);
  ~FigureBatch() override;

  // The files to write (figures whose data the run lacks are left out, see skipped()).
  int total() const { return int(plan_.size()); }
  QStringList plannedFiles() const;
  // "layer 3 similarity-outputs: layer 3 has no output_angular_similarity_mean"
  QStringList skipped() const { return skipped_; }
  QStringList written() const { return written_; }
  bool isRunning() const { return running_; }

 public slots:
  // Checks the folder (made when missing), then writes one file per event-loop step.
  void start();
  void cancel();

 signals:
  // Before file number done + 1 of total is drawn.
  void progress(int done, int total, const QString& file);
  // ok: every file written. Otherwise error says why (empty when cancelled).
  void finished(bool ok, const QString& error);

 private:
  struct Step {
    const FigureKind* kind;
    int layer_index;
    FigureFormat format;
    QString file;
  };
  void runStep();
  void finish(bool ok, const QString& error);

  FigureBatchRequest request_;
  FigureStage stage_;
  QVector<Step> plan_;
  QStringList skipped_;
  QStringList written_;
  int next_ = 0;
  bool running_ = false;
  bool cancelled_ = false;
};

}  // namespace moescope::widgets
