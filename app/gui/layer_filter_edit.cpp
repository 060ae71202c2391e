#include "app/gui/layer_filter_edit.h"

#include <QSettings>

#include "core/error.h"
#include "core/pipeline/analysis_selection.h"

namespace moescope::gui {

namespace {

const QString kSettingsKey = QStringLiteral("prompt/layers");

}  // namespace

LayerFilterEdit::LayerFilterEdit(QWidget* parent) : QLineEdit(parent) {
  setPlaceholderText(tr("all"));
  setClearButtonEnabled(true);
  // Room for "0-15,31" and the clear button, and no more: the bar is full.
  setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("0-15,31,")) + 32);
  connect(this, &QLineEdit::textChanged, this, &LayerFilterEdit::validate);
  validate();
}

void LayerFilterEdit::setModelLayers(int decoder_layers, const QVector<int>& moe_layers) {
  decoder_layers_ = decoder_layers;
  moe_layers_ = moe_layers;
  validate();
}

void LayerFilterEdit::validate() {
  const bool was_valid = valid_;
  problem_.clear();
  QStringList picked;
  try {
    // Without a model only the form can be checked; the bound keeps a typo like "0-999999999"
    // from expanding into a billion layers.
    constexpr int kAnyModel = 1 << 16;
    const int limit = decoder_layers_ > 0 ? decoder_layers_ : kAnyModel;
    const bool empty = text().trimmed().isEmpty();
    if (!empty) {
      for (int layer : pipeline::parseLayers(text().toStdString(), limit))
        if (moe_layers_.contains(layer)) picked << QString::number(layer);
      if (decoder_layers_ > 0 && picked.isEmpty())
        problem_ = tr("none of these layers is an MoE layer (MoE layers: %1)").arg(moeLayerList());
    }
  } catch (const Error& error) {
    // The parser speaks to the command line; the field needs no option name.
    problem_ = QString::fromUtf8(error.what()).remove(QStringLiteral("--layers: "));
  }
  valid_ = problem_.isEmpty();
  if (!valid_) {
    setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #d62728; border-radius: 3px; }"));
    setToolTip(tr("Not a layer list: %1").arg(problem_));
  } else {
    setStyleSheet(QString());
    if (decoder_layers_ <= 0)
      setToolTip(tr("Decoder layers to analyse, e.g. 0-3,31; empty: all of them"));
    else if (text().trimmed().isEmpty())
      setToolTip(tr("Decoder layers to analyse, e.g. 0-3,31; empty: all %n MoE layer(s)", nullptr,
                    int(moe_layers_.size())));
    else
      setToolTip(tr("Picks %n MoE layer(s): %1", nullptr, int(picked.size())).arg(picked.join(QStringLiteral(", "))));
  }
  if (valid_ != was_valid) emit validityChanged(valid_);
}

QString LayerFilterEdit::moeLayerList() const {
  QStringList layers;
  for (int layer : moe_layers_) layers << QString::number(layer);
  return layers.join(QStringLiteral(", "));
}

void LayerFilterEdit::saveSettings(QSettings& settings) const { settings.setValue(kSettingsKey, text()); }

void LayerFilterEdit::restoreSettings(const QSettings& settings) {
  setText(settings.value(kSettingsKey).toString());
}

}  // namespace moescope::gui
