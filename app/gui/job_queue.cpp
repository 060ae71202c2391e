#include "app/gui/job_queue.h"

#include <QThread>

#include "core/cancel_token.h"

namespace moescope::gui {

JobQueue::JobQueue(QObject* parent) : QObject(parent), cancel_(std::make_shared<CancelToken>()) {
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("moescope-engine"));
  worker_ = new AnalysisWorker;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
}

JobQueue::~JobQueue() {
  // Stop the engine before the window's objects go: cancel the run, drain the thread.
  cancel_->cancel();
  thread_->quit();
  thread_->wait();
}

std::shared_ptr<const CancelToken> JobQueue::begin() {
  if (++jobs_ == 1) emit busyChanged(true);
  return cancel_;
}

void JobQueue::end() {
  jobs_ = qMax(0, jobs_ - 1);
  if (jobs_ > 0) return;
  emit busyChanged(false);
  emit idle();
}

void JobQueue::cancelAll() {
  // Every queued job holds this token; the next request gets a fresh one.
  cancel_->cancel();
  cancel_ = std::make_shared<CancelToken>();
}

void JobQueue::cancelStale() {
  if (isBusy()) cancelAll();
}

}  // namespace moescope::gui
