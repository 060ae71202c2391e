#include "app/gui/status_progress.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <cmath>

namespace moescope::gui {

namespace {

QString stageText(const QString& stage, int step, int total) {
  if (stage == QLatin1String("forward"))
    return total > 0 ? StatusProgress::tr("layer %1 of %2").arg(step).arg(total) : StatusProgress::tr("forward pass");
  if (stage == QLatin1String("tokenize")) return StatusProgress::tr("tokenizing");
  if (stage == QLatin1String("open")) return StatusProgress::tr("reading the model");
  if (stage == QLatin1String("demo")) return StatusProgress::tr("writing the demo model");
  return total > 0 ? QStringLiteral("%1 %2/%3").arg(stage).arg(step).arg(total) : stage;
}

QString etaText(double seconds) {
  if (seconds < 0) return {};
  if (seconds < 60) return StatusProgress::tr("about %1 s left").arg(int(std::ceil(seconds)));
  return StatusProgress::tr("about %1 min left").arg(int(std::ceil(seconds / 60)));
}

}  // namespace

StatusProgress::StatusProgress(QStatusBar* bar) : QObject(bar) {
  message_ = new QLabel(bar);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Long error messages must not push the progress bar and device label off the window;
  // the full text is in the tooltip.
  message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  bar->addWidget(message_, 1);
  bar_ = new QProgressBar(bar);
  bar_->setMaximumWidth(240);
  bar_->setRange(0, 1000);
  bar_->setTextVisible(false);
  bar_->hide();
  bar->addPermanentWidget(bar_);
  device_ = new QLabel(bar);
  bar->addPermanentWidget(device_);
}

void StatusProgress::begin(const QString& what) {
  what_ = what;
  setMessage(what + QStringLiteral("…"));
  bar_->setRange(0, 0);
  bar_->show();
}

void StatusProgress::report(const QString& stage, int step, int total, double fraction, double eta_seconds) {
  if (total > 0) {
    bar_->setRange(0, 1000);
    bar_->setValue(int(std::lround(qBound(0.0, fraction, 1.0) * 1000)));
  } else {
    bar_->setRange(0, 0);
  }
  bar_->show();
  QString text = what_.isEmpty() ? stageText(stage, step, total)
                                 : tr("%1: %2").arg(what_, stageText(stage, step, total));
  if (const QString eta = etaText(eta_seconds); !eta.isEmpty()) text += QStringLiteral(" — ") + eta;
  setMessage(text);
}

void StatusProgress::end(const QString& message) {
  what_.clear();
  bar_->hide();
  setMessage(message);
}

void StatusProgress::setMessage(const QString& text) {
  message_->setText(text);
  message_->setToolTip(text);
}

void StatusProgress::setDevice(const QString& text) { device_->setText(text); }

QString StatusProgress::message() const { return message_->text(); }

}  // namespace moescope::gui
