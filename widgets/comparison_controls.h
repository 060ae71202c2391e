#pragma once
// The row of controls over a comparison view: the model set against the reference (when the view
// offers that choice), "Measure:" with its combo, the view's own controls after them, and room
// at the end for the view's "?" button. The view lays it over its plot (addOverlayControls).
#include <QWidget>

class QComboBox;
class QHBoxLayout;

namespace moescope::widgets {

class ComparedModelBox;
class SelectionModel;

class ComparisonControls : public QWidget {
  Q_OBJECT

 public:
  ComparisonControls(SelectionModel* selection, bool model_choice, QWidget* view);

  // Null without the model choice.
  ComparedModelBox* modelBox() const { return model_box_; }
  QComboBox* measure() const { return measure_; }
  // Another control after the measure (a check box), parented to the row.
  void addControl(QWidget* control);

 private:
  QHBoxLayout* row_ = nullptr;
  ComparedModelBox* model_box_ = nullptr;
  QComboBox* measure_ = nullptr;
};

}  // namespace moescope::widgets
