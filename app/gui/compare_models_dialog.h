#pragma once
// File > Compare Models…: the models (folders, GGUF files) or the results files of single
// models to compare, in order, which of them is the reference, and where the comparison file
// goes. Models are run on the prompt's text; results files are compared on the tokens they were
// run on, by their routing alone.
#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace moescope::gui {

struct ComparisonChoice {
  QStringList inputs;  // two or more, all models or all results files
  int reference = -1;  // index into inputs
  QString output;      // the comparison file to write
};

class CompareModelsDialog : public QDialog {
  Q_OBJECT

 public:
  // first: a model or results file to start the list with (the one open now); may be empty.
  CompareModelsDialog(const QString& first, const QString& default_output, QWidget* parent = nullptr);

  ComparisonChoice choice() const;
  // For tests and for drops: appends inputs as if chosen with the Add buttons.
  void addInputs(const QStringList& paths);
  void setReference(int index);
  void setOutput(const QString& path);
  // Why OK is disabled; empty when the choice can run.
  QString problem() const;

 private:
  void addFolder();
  void addGguf();
  void addResults();
  void removeSelected();
  void moveSelected(int step);
  void chooseOutput();
  void refresh();

  QListWidget* list_ = nullptr;
  QComboBox* reference_ = nullptr;
  QLineEdit* output_ = nullptr;
  QLabel* problem_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace moescope::gui
