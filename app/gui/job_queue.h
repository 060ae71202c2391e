#pragma once
// The window's side of the worker protocol: the engine thread and its worker, the jobs in
// flight (each job ends with exactly one of its final signals, see analysis_worker.h) and the
// cancel token every queued job watches. Cancelling hands the next jobs a fresh token.
#include <QObject>
#include <memory>

#include "app/gui/analysis_worker.h"

class QThread;

namespace moescope {
class CancelToken;
}

namespace moescope::gui {

class JobQueue : public QObject {
  Q_OBJECT

 public:
  explicit JobQueue(QObject* parent = nullptr);
  // Cancels what runs and waits for the engine thread.
  ~JobQueue() override;

  AnalysisWorker* worker() const { return worker_; }
  bool isBusy() const { return jobs_ > 0; }

  // Runs call(worker) on the engine thread, after the jobs queued before it.
  template <class Call>
  void post(Call call) {
    QMetaObject::invokeMethod(worker_, [w = worker_, call] { call(w); }, Qt::QueuedConnection);
  }
  // Counts a job about to be posted and returns the token it must watch.
  std::shared_ptr<const CancelToken> begin();
  // A job sent its final signal.
  void end();
  // Cancels every queued and running job.
  void cancelAll();
  // As cancelAll, but only when busy: opening a model makes whatever runs stale.
  void cancelStale();

 signals:
  void busyChanged(bool busy);
  // The last job in flight ended.
  void idle();

 private:
  QThread* thread_ = nullptr;
  AnalysisWorker* worker_ = nullptr;
  std::shared_ptr<CancelToken> cancel_;
  int jobs_ = 0;
};

}  // namespace moescope::gui
