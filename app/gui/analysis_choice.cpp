#include "app/gui/analysis_choice.h"

#include <QAction>
#include <QMenu>
#include <QMouseEvent>
#include <QSettings>
#include <QStyle>
#include <set>

#include "core/error.h"

namespace moescope::gui {

namespace {

using pipeline::Analysis;

const QString kSettingsKey = QStringLiteral("prompt/analyses");
const QString kDefaultsValue = QStringLiteral("defaults");

struct Entry {
  Analysis analysis;
  const char* code;  // the paper's name for it
  const char* label;
};

// In the paper's order; routing (D0/D1) first since everything else builds on it.
constexpr Entry kEntries[] = {
    {Analysis::Routing, "D0 / D1", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Routing (always computed)")},
    {Analysis::Weights, "S1", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Weight similarity")},
    {Analysis::NeuronMean, "S2", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Neuron-mean similarity")},
    {Analysis::NeuronReorder, "S3",
     QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Re-ordered neuron similarity (slow)")},
    {Analysis::Gate, "S4", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Gate embedding similarity")},
    {Analysis::Pca, "S5", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "PCA of expert weights")},
    {Analysis::Outputs, "D2", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Expert output similarity")},
    {Analysis::Norms, "D3", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Output norms vs gate scores")},
    {Analysis::Activations, "D4", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Neuron activations (large)")},
    {Analysis::Diversity, "D5", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Diversity across layers")},
    {Analysis::Stats, "D6", QT_TRANSLATE_NOOP("moescope::gui::AnalysisChoice", "Routing statistics")},
};

}  // namespace

AnalysisChoice::AnalysisChoice(QWidget* parent) : QToolButton(parent) {
  setPopupMode(QToolButton::InstantPopup);
  setToolButtonStyle(Qt::ToolButtonTextOnly);
  auto* menu = new QMenu(this);
  menu->setToolTipsVisible(true);
  for (const Entry& entry : kEntries) {
    QAction* action = menu->addAction(tr(entry.label));
    action->setCheckable(true);
    action->setToolTip(tr("The paper's %1").arg(QString::fromLatin1(entry.code)));
    if (entry.analysis == Analysis::Routing) {
      // Every view starts from the routing, so a run always has it.
      action->setChecked(true);
      action->setEnabled(false);
    } else {
      connect(action, &QAction::toggled, this, &AnalysisChoice::onToggled);
    }
    actions_.insert(entry.analysis, action);
    if (entry.analysis == Analysis::Routing) menu->addSeparator();
  }
  menu->addSeparator();
  defaults_action_ = menu->addAction(tr("&Defaults"), this, &AnalysisChoice::useDefaults);
  defaults_action_->setToolTip(tr("What the model suggests: everything except the slow re-ordered neurons, "
                                  "plus the neuron activations when they are small enough to keep"));
  all_action_ = menu->addAction(tr("A&ll"), this, &AnalysisChoice::chooseAll);
  menu->installEventFilter(this);
  setMenu(menu);
  useDefaults();
}

std::optional<pipeline::AnalysisSet> AnalysisChoice::analyses() const {
  if (defaults_) return std::nullopt;
  std::set<Analysis> chosen;
  for (auto it = actions_.cbegin(); it != actions_.cend(); ++it)
    if (it.value()->isChecked()) chosen.insert(it.key());
  return pipeline::AnalysisSet(chosen);
}

void AnalysisChoice::useDefaults() {
  // The boxes show the plain defaults; the worker may add the activations on small runs.
  setChecked(pipeline::defaultAnalyses());
  defaults_ = true;
  updateText();
  emit choiceChanged();
}

void AnalysisChoice::chooseAll() {
  choose(pipeline::parseAnalyses("all"));
}

void AnalysisChoice::choose(const pipeline::AnalysisSet& set) {
  setChecked(set);
  defaults_ = false;
  updateText();
  emit choiceChanged();
}

void AnalysisChoice::setChecked(const pipeline::AnalysisSet& set) {
  updating_ = true;
  for (auto it = actions_.cbegin(); it != actions_.cend(); ++it)
    if (it.key() != Analysis::Routing) it.value()->setChecked(set.has(it.key()));
  updating_ = false;
}

void AnalysisChoice::onToggled() {
  if (updating_) return;
  defaults_ = false;
  updateText();
  emit choiceChanged();
}

void AnalysisChoice::updateText() {
  int checked = 0;
  for (const QAction* action : actions_) checked += action->isChecked() ? 1 : 0;
  const int total = int(actions_.size());
  setText(defaults_ ? tr("A&nalyses: defaults") : tr("A&nalyses: %1 of %2").arg(checked).arg(total));
  QStringList names;
  for (const Entry& entry : kEntries)
    if (actions_.value(entry.analysis)->isChecked()) names << QString::fromLatin1(entry.code);
  setToolTip(tr("The analyses to run (routing is always computed): %1").arg(names.join(QStringLiteral(", "))));
}

bool AnalysisChoice::eventFilter(QObject* watched, QEvent* event) {
  if (watched == menu() && event->type() == QEvent::MouseButtonRelease) {
    const auto* release = static_cast<QMouseEvent*>(event);
    QAction* action = menu()->actionAt(release->position().toPoint());
    if (action && action->isCheckable() && action->isEnabled()) {
      action->trigger();
      return true;
    }
  }
  return QToolButton::eventFilter(watched, event);
}

QSize AnalysisChoice::sizeHint() const {
  QSize size = QToolButton::sizeHint();
  size.rwidth() += style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, this);
  return size;
}

void AnalysisChoice::saveSettings(QSettings& settings) const {
  if (defaults_) return settings.setValue(kSettingsKey, kDefaultsValue);
  QStringList names;
  for (const std::string& name : analyses()->names()) names << QString::fromStdString(name);
  settings.setValue(kSettingsKey, names.join(QLatin1Char(',')));
}

void AnalysisChoice::restoreSettings(const QSettings& settings) {
  const QString saved = settings.value(kSettingsKey, kDefaultsValue).toString();
  if (saved == kDefaultsValue || saved.isEmpty()) return useDefaults();
  try {
    choose(pipeline::parseAnalyses(saved.toStdString()));
  } catch (const Error&) {
    // Written by another version of the program: its defaults are the safe reading.
    useDefaults();
  }
}

}  // namespace moescope::gui
