#pragma once
// The "Model:" choice of the comparison views when more than one model is set against the
// reference: it shows and sets SelectionModel::comparedModel, so every difference view follows
// the same model. Hidden with one compared model (nothing to choose).
#include <QWidget>

class QComboBox;
class QLabel;

namespace moescope::widgets {

class SelectionModel;
struct ComparisonData;

class ComparedModelBox : public QWidget {
  Q_OBJECT

 public:
  ComparedModelBox(SelectionModel* selection, QWidget* parent);
  // The models against the reference ("B vs A"); null: none, hidden.
  void setComparison(const ComparisonData* comparison);
  QComboBox* combo() const { return combo_; }

 private:
  SelectionModel* selection_;
  QLabel* label_ = nullptr;
  QComboBox* combo_ = nullptr;
};

}  // namespace moescope::widgets
