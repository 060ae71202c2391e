#pragma once
// Key facts of the open model as label/value rows. The app decides which rows and formats
// them; the panel only lays them out.
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace moescope::widgets {

using SummaryRows = QList<QPair<QString, QString>>;

class ModelSummaryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ModelSummaryPanel(QWidget* parent = nullptr);

  void setTitle(const QString& title);
  void setRows(const SummaryRows& rows);
  const SummaryRows& rows() const { return rows_; }
  // Value of the first row with this label; empty when there is none.
  QString value(const QString& label) const;

 private:
  QLabel* title_ = nullptr;
  QFormLayout* form_ = nullptr;
  SummaryRows rows_;
};

}  // namespace moescope::widgets
