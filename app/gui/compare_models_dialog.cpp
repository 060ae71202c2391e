#include "app/gui/compare_models_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <filesystem>

#include "app/view_data/comparison_loading.h"
#include "core/pipeline/results_comparison.h"

namespace moescope::gui {

namespace {

bool isResultsFile(const QString& path) { return pipeline::isResultsFilePath(std::filesystem::path(path.toStdString())); }

}  // namespace

CompareModelsDialog::CompareModelsDialog(const QString& first, const QString& default_output, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Compare Models"));
  auto* column = new QVBoxLayout(this);
  auto* intro = new QLabel(
      tr("Models (folders or GGUF files) are run on the prompt's text and compared with the reference: routing, "
         "expert correspondence, router drift and output change. Results files of single models are compared on "
         "the tokens they were run on, by their routing alone. The order is kept: give training checkpoints in "
         "order to see router saturation over them."),
      this);
  intro->setWordWrap(true);
  column->addWidget(intro);

  auto* list_row = new QHBoxLayout;
  list_ = new QListWidget(this);
  list_->setObjectName(QStringLiteral("ComparisonInputs"));
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_row->addWidget(list_, 1);
  auto* buttons = new QVBoxLayout;
  const auto button = [&](const QString& text, auto slot) {
    auto* b = new QPushButton(text, this);
    b->setAutoDefault(false);
    connect(b, &QPushButton::clicked, this, slot);
    buttons->addWidget(b);
    return b;
  };
  button(tr("Add Model &Folder…"), &CompareModelsDialog::addFolder);
  button(tr("Add &GGUF File…"), &CompareModelsDialog::addGguf);
  button(tr("Add &Results Files…"), &CompareModelsDialog::addResults);
  button(tr("Re&move"), &CompareModelsDialog::removeSelected);
  button(tr("Move &Up"), [this] { moveSelected(-1); });
  button(tr("Move &Down"), [this] { moveSelected(1); });
  buttons->addStretch(1);
  list_row->addLayout(buttons);
  column->addLayout(list_row, 1);

  auto* form = new QFormLayout;
  reference_ = new QComboBox(this);
  reference_->setObjectName(QStringLiteral("ComparisonReference"));
  reference_->setToolTip(tr("The model the others are compared with; for a run's checkpoints, the final one"));
  form->addRow(tr("R&eference:"), reference_);
  auto* output_row = new QHBoxLayout;
  output_ = new QLineEdit(default_output, this);
  output_->setObjectName(QStringLiteral("ComparisonOutput"));
  auto* browse = new QPushButton(tr("&Browse…"), this);
  browse->setAutoDefault(false);
  connect(browse, &QPushButton::clicked, this, &CompareModelsDialog::chooseOutput);
  output_row->addWidget(output_, 1);
  output_row->addWidget(browse);
  // A label for a row of widgets has no buddy of its own: the line edit takes the mnemonic.
  auto* output_label = new QLabel(tr("&Save comparison as:"), this);
  output_label->setBuddy(output_);
  form->addRow(output_label, output_row);
  column->addLayout(form);

  problem_ = new QLabel(this);
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #8a5a00;"));
  column->addWidget(problem_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("&Compare"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  column->addWidget(buttons_);
  connect(output_, &QLineEdit::textChanged, this, &CompareModelsDialog::refresh);
  connect(reference_, qOverload<int>(&QComboBox::currentIndexChanged), this, &CompareModelsDialog::refresh);

  if (!first.isEmpty()) addInputs({first});
  refresh();
  resize(640, 420);
}

void CompareModelsDialog::addInputs(const QStringList& paths) {
  for (const QString& path : paths) {
    auto* item = new QListWidgetItem(view_data::modelName(path), list_);
    item->setData(Qt::UserRole, path);
    item->setToolTip(QDir::toNativeSeparators(path));
  }
  refresh();
}

void CompareModelsDialog::addFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Add Model Folder"), QDir::homePath());
  if (!dir.isEmpty()) addInputs({dir});
}

void CompareModelsDialog::addGguf() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Add GGUF File"), QDir::homePath(),
                                                    tr("GGUF models (*.gguf);;All files (*)"));
  if (!file.isEmpty()) addInputs({file});
}

void CompareModelsDialog::addResults() {
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Results Files"), QDir::homePath(),
                                                          tr("MoEScope results (*.h5 *.hdf5);;All files (*)"));
  addInputs(files);
}

void CompareModelsDialog::removeSelected() {
  delete list_->currentItem();
  refresh();
}

void CompareModelsDialog::moveSelected(int step) {
  const int row = list_->currentRow();
  const int to = row + step;
  if (row < 0 || to < 0 || to >= list_->count()) return;
  // The reference follows its model.
  const int reference = reference_->currentIndex();
  list_->insertItem(to, list_->takeItem(row));
  list_->setCurrentRow(to);
  refresh();
  if (reference == row) setReference(to);
  else if (reference == to) setReference(row);
}

void CompareModelsDialog::chooseOutput() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Save Comparison As"), output_->text(),
                                                    tr("MoEScope results (*.h5)"));
  if (!file.isEmpty()) setOutput(file);
}

void CompareModelsDialog::setReference(int index) { reference_->setCurrentIndex(index); }

void CompareModelsDialog::setOutput(const QString& path) { output_->setText(path); }

void CompareModelsDialog::refresh() {
  // The reference stays on its model; new lists default to the last (the final checkpoint).
  const int count = list_->count();
  const int was = reference_->currentIndex();
  const bool was_last = was < 0 || was >= reference_->count() - 1;
  {
    const QSignalBlocker blocker(reference_);
    reference_->clear();
    for (int i = 0; i < count; ++i) reference_->addItem(tr("%1. %2").arg(i + 1).arg(list_->item(i)->text()));
    reference_->setCurrentIndex(count == 0 ? -1 : was_last ? count - 1 : qMin(was, count - 1));
  }
  const QString why = problem();
  problem_->setText(why);
  problem_->setVisible(!why.isEmpty());
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

QString CompareModelsDialog::problem() const {
  const ComparisonChoice c = choice();
  if (c.inputs.size() < 2) return tr("Add two models or more (or two results files or more).");
  int results = 0;
  for (const QString& input : c.inputs) results += isResultsFile(input) ? 1 : 0;
  if (results > 0 && results < c.inputs.size())
    return tr("Compare either models or results files of single models, not both.");
  if (c.output.trimmed().isEmpty()) return tr("Choose where to save the comparison.");
  for (const QString& input : c.inputs)
    if (QDir::cleanPath(QFileInfo(input).absoluteFilePath()) == QDir::cleanPath(QFileInfo(c.output).absoluteFilePath()))
      return tr("The comparison would overwrite %1: save it elsewhere.").arg(view_data::modelName(input));
  return {};
}

ComparisonChoice CompareModelsDialog::choice() const {
  ComparisonChoice c;
  for (int i = 0; i < list_->count(); ++i) c.inputs << list_->item(i)->data(Qt::UserRole).toString();
  c.reference = reference_->currentIndex();
  c.output = output_->text().trimmed();
  return c;
}

}  // namespace moescope::gui
