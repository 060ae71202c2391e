#pragma once
// The prompt editor and the run controls above the views: sample prompts, device, precision,
// Analyze and Cancel.
#include <QWidget>
#include <optional>

#include "core/engine/device.h"

class QAction;
class QComboBox;
class QPlainTextEdit;
class QPushButton;
class QSettings;

namespace moescope::gui {

class PromptPanel : public QWidget {
  Q_OBJECT

 public:
  // The buttons mirror the window's actions, so the menu, the shortcuts and the buttons
  // share one enabled state.
  PromptPanel(QAction* analyze, QAction* cancel, QWidget* parent = nullptr);

  QString text() const;
  void setText(const QString& text);
  engine::DevicePreference device() const;
  std::optional<engine::ComputeDType> dtype() const;

  void setCudaAvailable(bool available, const QString& name);

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

  QPlainTextEdit* editor() const { return editor_; }

 signals:
  void textChanged();

 private:
  QPlainTextEdit* editor_ = nullptr;
  QComboBox* samples_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* dtype_ = nullptr;
};

}  // namespace moescope::gui
