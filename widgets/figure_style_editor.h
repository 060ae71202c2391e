#pragma once
// The dress of an exported figure in the export dialogs: the title (the view's own, none, or
// typed), the model's name before it, the captions under some plots, the paper's font and body
// size, and a "Paper Style" button for the look of the paper's own figures. Remembers the
// choices under a settings group.
#include <QWidget>

#include "widgets/figure_style.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;

namespace moescope::widgets {

// The property a main window sets to its model's name, which the dialogs put in titles.
inline constexpr char kFigureModelNameProperty[] = "figureModelName";

class FigureStyleEditor : public QWidget {
  Q_OBJECT

 public:
  explicit FigureStyleEditor(QWidget* parent = nullptr);

  // The model's name the title options and Paper Style use; empty disables them.
  void setModelName(const QString& name);
  FigureStyle figureStyle() const;
  void setFigureStyle(const FigureStyle& style);
  // The paper's look: the model's name as the only title, no captions.
  void applyPaperStyle();

  void restore(const QString& group);
  void save(const QString& group) const;

 private:
  void updateEnabled();

  QString model_name_;
  QComboBox* title_ = nullptr;
  QLineEdit* custom_title_ = nullptr;
  QCheckBox* model_in_title_ = nullptr;
  QCheckBox* captions_ = nullptr;
  QComboBox* font_ = nullptr;
  QDoubleSpinBox* size_ = nullptr;
};

}  // namespace moescope::widgets
