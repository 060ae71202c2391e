#include "app/gui/prompt_panel.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSettings>
#include <QStandardItemModel>

#include "app/gui/analysis_choice.h"
#include "app/gui/layer_filter_edit.h"
#include "app/gui/sample_prompts.h"
#include "core/engine/generation.h"

namespace moescope::gui {

namespace {

constexpr int kCudaRow = 2;

QPushButton* buttonFor(QAction* action, QWidget* parent) {
  auto* button = new QPushButton(action->text().remove(QLatin1Char('&')), parent);
  button->setToolTip(action->toolTip() + QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText)));
  button->setEnabled(action->isEnabled());
  QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
  QObject::connect(action, &QAction::changed, button, [button, action] { button->setEnabled(action->isEnabled()); });
  return button;
}

}  // namespace

PromptPanel::PromptPanel(QAction* analyze, QAction* generate, QAction* cancel, QWidget* parent) : QWidget(parent) {
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);

  auto* controls = new QHBoxLayout;
  auto* sample_label = new QLabel(tr("&Sample:"), this);
  samples_ = new QComboBox(this);
  for (const SamplePrompt& sample : samplePrompts()) samples_->addItem(sample.name, sample.text);
  samples_->setToolTip(tr("Replace the prompt with a sample text"));
  // Shown once the prompt is no sample's text any more.
  samples_->setPlaceholderText(tr("Your own text"));
  // Sized to a short name, not the longest: the bar holds all the run's choices.
  samples_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  samples_->setMinimumContentsLength(18);
  sample_label->setBuddy(samples_);
  controls->addWidget(sample_label);
  controls->addWidget(samples_);
  controls->addSpacing(12);

  auto* device_label = new QLabel(tr("&Device:"), this);
  device_ = new QComboBox(this);
  device_->addItem(tr("Auto"), int(torch_support::DevicePreference::Auto));
  device_->addItem(tr("CPU"), int(torch_support::DevicePreference::Cpu));
  device_->addItem(tr("CUDA GPU"), int(torch_support::DevicePreference::Cuda));
  device_label->setBuddy(device_);
  controls->addWidget(device_label);
  controls->addWidget(device_);
  setCudaAvailable(false, QString());
  device_->setItemData(kCudaRow, tr("Looking for a GPU…"), Qt::ToolTipRole);

  auto* dtype_label = new QLabel(tr("&Precision:"), this);
  dtype_ = new QComboBox(this);
  dtype_->addItem(tr("Default"), -1);
  dtype_->addItem(QStringLiteral("float32"), int(torch_support::ComputeDType::Float32));
  dtype_->addItem(QStringLiteral("bfloat16"), int(torch_support::ComputeDType::BFloat16));
  dtype_->addItem(QStringLiteral("float16"), int(torch_support::ComputeDType::Float16));
  dtype_->setToolTip(tr("Compute precision. Default: float32 on the CPU, bfloat16 on a GPU."));
  dtype_label->setBuddy(dtype_);
  controls->addWidget(dtype_label);
  controls->addWidget(dtype_);
  controls->addSpacing(8);

  analyses_ = new AnalysisChoice(this);
  controls->addWidget(analyses_);
  controls->addSpacing(8);

  auto* layers_label = new QLabel(tr("La&yers:"), this);
  layers_ = new LayerFilterEdit(this);
  layers_label->setBuddy(layers_);
  controls->addWidget(layers_label);
  controls->addWidget(layers_);
  controls->addStretch(1);
  column->addLayout(controls);
  // Not only in the field's tooltip: a problem nobody hovers over is a disabled Analyze with no
  // reason given.
  layers_problem_ = new QLabel(this);
  layers_problem_->setObjectName(QStringLiteral("LayersProblem"));
  layers_problem_->setWordWrap(true);
  QPalette warning = layers_problem_->palette();
  warning.setColor(QPalette::WindowText, QColor(0xB0, 0x1C, 0x1C));
  layers_problem_->setPalette(warning);
  layers_problem_->hide();
  column->addWidget(layers_problem_);

  // Analyze and Cancel beside the prompt they act on: the row above is full with the choices.
  auto* prompt_row = new QHBoxLayout;
  editor_ = new QPlainTextEdit(this);
  editor_->setPlaceholderText(tr("Type a prompt, then press Analyze (Ctrl+Return)."));
  editor_->setTabChangesFocus(true);
  // A few lines are enough for a prompt; the views below need the height.
  const int line = editor_->fontMetrics().lineSpacing();
  editor_->setFixedHeight(3 * line + 2 * editor_->frameWidth() + 8);
  prompt_row->addWidget(editor_, 1);

  auto* buttons = new QVBoxLayout;
  QPushButton* analyze_button = buttonFor(analyze, this);
  analyze_button->setDefault(true);
  QPushButton* cancel_button = buttonFor(cancel, this);
  QPushButton* generate_button = buttonFor(generate, this);
  // Generate's two choices under it, compact: the row above is full.
  max_new_tokens_ = new QSpinBox(this);
  max_new_tokens_->setObjectName(QStringLiteral("MaxNewTokens"));
  max_new_tokens_->setRange(1, engine::kMaxNewTokens);
  max_new_tokens_->setValue(32);
  max_new_tokens_->setSuffix(tr(" tokens"));
  max_new_tokens_->setToolTip(tr("Generate: the most new tokens the model writes (it stops earlier at its "
                                 "end-of-sequence token)"));
  temperature_ = new QDoubleSpinBox(this);
  temperature_->setObjectName(QStringLiteral("Temperature"));
  temperature_->setRange(0.0, 5.0);
  temperature_->setSingleStep(0.1);
  temperature_->setDecimals(2);
  temperature_->setPrefix(tr("T = "));
  temperature_->setSpecialValueText(tr("greedy"));
  temperature_->setToolTip(tr("Generate: the sampling temperature. Greedy (0) always takes the most likely token; "
                              "above 0 the tokens are drawn, more freely the higher it is, with a new seed each "
                              "time (the seed is in the results' summary)."));
  buttons->addWidget(analyze_button);
  buttons->addWidget(generate_button);
  buttons->addWidget(max_new_tokens_);
  buttons->addWidget(temperature_);
  buttons->addWidget(cancel_button);
  estimate_ = new QLabel(this);
  estimate_->setObjectName(QStringLiteral("RunEstimate"));
  estimate_->setAlignment(Qt::AlignCenter);
  estimate_->setForegroundRole(QPalette::PlaceholderText);
  estimate_->hide();
  buttons->addWidget(estimate_);
  buttons->addStretch(1);
  prompt_row->addLayout(buttons);
  column->addLayout(prompt_row);

  // Left to right along the bar, then the prompt and what runs it.
  setTabOrder(samples_, device_);
  setTabOrder(device_, dtype_);
  setTabOrder(dtype_, analyses_);
  setTabOrder(analyses_, layers_);
  setTabOrder(layers_, editor_);
  setTabOrder(editor_, analyze_button);
  setTabOrder(analyze_button, generate_button);
  setTabOrder(generate_button, max_new_tokens_);
  setTabOrder(max_new_tokens_, temperature_);
  setTabOrder(temperature_, cancel_button);

  connect(samples_, &QComboBox::activated, this, [this](int index) { setText(samples_->itemData(index).toString()); });
  connect(editor_, &QPlainTextEdit::textChanged, this, &PromptPanel::textChanged);
  // The box names a sample only while the prompt is that sample's text.
  connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
    samples_->setCurrentIndex(samples_->findData(editor_->toPlainText()));
  });
  connect(layers_, &LayerFilterEdit::validityChanged, this, &PromptPanel::layersValidityChanged);
  connect(layers_, &LayerFilterEdit::validityChanged, this, &PromptPanel::showLayersProblem);
  connect(layers_, &QLineEdit::textChanged, this, &PromptPanel::showLayersProblem);
  connect(layers_, &QLineEdit::textChanged, this, &PromptPanel::runChoicesChanged);
  connect(device_, &QComboBox::currentIndexChanged, this, &PromptPanel::runChoicesChanged);
  connect(dtype_, &QComboBox::currentIndexChanged, this, &PromptPanel::runChoicesChanged);
  connect(analyses_, &AnalysisChoice::choiceChanged, this, &PromptPanel::runChoicesChanged);
}

int PromptPanel::maxNewTokens() const { return max_new_tokens_->value(); }

double PromptPanel::temperature() const { return temperature_->value(); }

void PromptPanel::setEstimate(const QString& text, const QString& details) {
  estimate_->setText(text);
  estimate_->setToolTip(details);
  estimate_->setVisible(!text.isEmpty());
}

QString PromptPanel::estimate() const { return estimate_->text(); }

QString PromptPanel::text() const { return editor_->toPlainText(); }

void PromptPanel::setText(const QString& text) { editor_->setPlainText(text); }

torch_support::DevicePreference PromptPanel::device() const {
  return static_cast<torch_support::DevicePreference>(device_->currentData().toInt());
}

std::optional<torch_support::ComputeDType> PromptPanel::dtype() const {
  const int value = dtype_->currentData().toInt();
  if (value < 0) return std::nullopt;
  return static_cast<torch_support::ComputeDType>(value);
}

std::optional<pipeline::AnalysisSet> PromptPanel::analyses() const { return analyses_->analyses(); }

QString PromptPanel::layers() const { return layers_->text().trimmed(); }

bool PromptPanel::layersValid() const { return layers_->isValid(); }

QString PromptPanel::layersProblem() const { return layers_->problem(); }

void PromptPanel::setModelLayers(int decoder_layers, const QVector<int>& moe_layers) {
  layers_->setModelLayers(decoder_layers, moe_layers);
  showLayersProblem();
}

void PromptPanel::setTokenIdsOnly(bool ids_only) {
  editor_->setPlaceholderText(ids_only ? tr("This model has no tokenizer: type token ids, e.g. 1, 415, 2936, then "
                                            "press Analyze (Ctrl+Return).")
                                       : tr("Type a prompt, then press Analyze (Ctrl+Return)."));
  samples_->setEnabled(!ids_only);
}

void PromptPanel::showLayersProblem() {
  const QString problem = layers_->isValid() ? QString() : layers_->problem();
  layers_problem_->setText(problem.isEmpty() ? QString() : tr("Layers: %1").arg(problem));
  layers_problem_->setVisible(!problem.isEmpty());
}

void PromptPanel::setCudaAvailable(bool available, const QString& name) {
  auto* model = qobject_cast<QStandardItemModel*>(device_->model());
  if (QStandardItem* item = model ? model->item(kCudaRow) : nullptr) item->setEnabled(available);
  device_->setItemData(kCudaRow, available ? name : tr("No CUDA GPU found (or libtorch was built without CUDA)"),
                       Qt::ToolTipRole);
  device_->setToolTip(available ? tr("GPU: %1").arg(name) : tr("No CUDA GPU found: computing on the CPU"));
  if (!available && device_->currentIndex() == kCudaRow) device_->setCurrentIndex(0);
}

void PromptPanel::saveSettings(QSettings& settings) const {
  settings.setValue(QStringLiteral("prompt/text"), text());
  settings.setValue(QStringLiteral("prompt/device"), device_->currentData());
  settings.setValue(QStringLiteral("prompt/dtype"), dtype_->currentData());
  settings.setValue(QStringLiteral("prompt/max_new_tokens"), max_new_tokens_->value());
  settings.setValue(QStringLiteral("prompt/temperature"), temperature_->value());
  analyses_->saveSettings(settings);
  layers_->saveSettings(settings);
}

void PromptPanel::restoreSettings(const QSettings& settings) {
  const QString saved = settings.value(QStringLiteral("prompt/text")).toString();
  setText(saved.trimmed().isEmpty() ? defaultPrompt() : saved);
  const int device = device_->findData(settings.value(QStringLiteral("prompt/device"), 0));
  if (device >= 0) device_->setCurrentIndex(device);
  const int dtype = dtype_->findData(settings.value(QStringLiteral("prompt/dtype"), -1));
  if (dtype >= 0) dtype_->setCurrentIndex(dtype);
  max_new_tokens_->setValue(settings.value(QStringLiteral("prompt/max_new_tokens"), 32).toInt());
  temperature_->setValue(settings.value(QStringLiteral("prompt/temperature"), 0.0).toDouble());
  analyses_->restoreSettings(settings);
  layers_->restoreSettings(settings);
}

}  // namespace moescope::gui
