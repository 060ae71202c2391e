#pragma once
// The prompt bar's "Analyses" button: a drop-down of the analyses a run computes. "Defaults"
// leaves the choice to the worker (which adds the activations when they are small enough),
// so it sends no set at all; routing is always computed and cannot be unchecked.
#include <QToolButton>
#include <QMap>
#include <optional>

#include "core/pipeline/analysis_selection.h"

class QAction;
class QSettings;

namespace moescope::gui {

class AnalysisChoice : public QToolButton {
  Q_OBJECT

 public:
  explicit AnalysisChoice(QWidget* parent = nullptr);

  // Empty while "Defaults" is in force.
  std::optional<pipeline::AnalysisSet> analyses() const;
  bool usesDefaults() const { return defaults_; }
  void useDefaults();
  void chooseAll();
  void choose(const pipeline::AnalysisSet& set);

  // The menu entry of one analysis (tests tick them as a user would).
  QAction* actionFor(pipeline::Analysis analysis) const { return actions_.value(analysis); }
  QAction* defaultsAction() const { return defaults_action_; }
  QAction* allAction() const { return all_action_; }

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

  // Room for the drop-down arrow too, which some styles draw over the text otherwise.
  QSize sizeHint() const override;

 protected:
  // Ticking an entry leaves the menu open, so several can be ticked in one go.
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  void choiceChanged();

 private:
  void setChecked(const pipeline::AnalysisSet& set);
  void onToggled();
  void updateText();

  QMap<pipeline::Analysis, QAction*> actions_;
  QAction* defaults_action_ = nullptr;
  QAction* all_action_ = nullptr;
  bool defaults_ = true;
  bool updating_ = false;
};

}  // namespace moescope::gui
