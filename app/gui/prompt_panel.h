#pragma once
// The prompt editor and the run controls above the views: sample prompts, device, precision,
// the analyses and layers to run, Analyze and Cancel.
#include <QVector>
#include <QWidget>
#include <optional>

#include "core/pipeline/analysis_selection.h"
#include "core/torch_support/device.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSettings;

namespace moescope::gui {

class AnalysisChoice;
class LayerFilterEdit;

class PromptPanel : public QWidget {
  Q_OBJECT

 public:
  // The buttons mirror the window's actions, so the menu, the shortcuts and the buttons
  // share one enabled state.
  PromptPanel(QAction* analyze, QAction* generate, QAction* cancel, QWidget* parent = nullptr);

  QString text() const;
  void setText(const QString& text);
  torch_support::DevicePreference device() const;
  std::optional<torch_support::ComputeDType> dtype() const;

  // Empty: the model's defaults.
  std::optional<pipeline::AnalysisSet> analyses() const;
  // "0-3,31" as typed (empty: every layer) and whether the open model has those layers.
  QString layers() const;
  bool layersValid() const;
  QString layersProblem() const;  // why they are not valid; empty when they are
  void setModelLayers(int decoder_layers, const QVector<int>& moe_layers);

  void setCudaAvailable(bool available, const QString& name);

  // Generate's choices: how many tokens at most, and the temperature (0: greedy).
  int maxNewTokens() const;
  double temperature() const;
  QSpinBox* maxNewTokensBox() const { return max_new_tokens_; }
  QDoubleSpinBox* temperatureBox() const { return temperature_; }

  // The run's estimated cost under Analyze ("≈ 12 s"), the breakdown in its tooltip; an empty
  // text hides it.
  void setEstimate(const QString& text, const QString& details);
  QString estimate() const;

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

  QPlainTextEdit* editor() const { return editor_; }
  // Below the bar while the layer list is not valid: what is wrong with it, in words.
  QLabel* layersProblemLabel() const { return layers_problem_; }
  // A model without a tokenizer takes token ids ("1, 415, 2936"): the editor says so and the
  // text samples are off.
  void setTokenIdsOnly(bool ids_only);
  QComboBox* sampleBox() const { return samples_; }
  AnalysisChoice* analysisChoice() const { return analyses_; }
  LayerFilterEdit* layerFilter() const { return layers_; }

 signals:
  void textChanged();
  // Device, precision, analyses or layers changed: what a run would cost changed.
  void runChoicesChanged();
  // The layer field turned valid or invalid: Analyze follows it.
  void layersValidityChanged();

 private:
  void showLayersProblem();

  QPlainTextEdit* editor_ = nullptr;
  QComboBox* samples_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* dtype_ = nullptr;
  AnalysisChoice* analyses_ = nullptr;
  LayerFilterEdit* layers_ = nullptr;
  QLabel* estimate_ = nullptr;
  QSpinBox* max_new_tokens_ = nullptr;
  QDoubleSpinBox* temperature_ = nullptr;
  QLabel* layers_problem_ = nullptr;
};

}  // namespace moescope::gui
