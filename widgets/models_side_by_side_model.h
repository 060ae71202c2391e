#pragma once
// The selected token in a comparison of models, as a table model: a row per MoE layer (the
// reference's), the layer number and then one column per model with the experts it chose, best
// first, each with the router's score and, where the run computed it, its output norm. Cells of
// a model that chose other experts than the reference are marked (DiffersRole, a tint).
#include <QAbstractTableModel>

#include "widgets/comparison_data.h"

namespace moescope::widgets {

class ModelsSideBySideModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role {
    DiffersRole = Qt::UserRole + 1,  // bool: this model's top-k set differs from the reference's
    ExpertsRole,                     // QList<int>: the experts chosen, best first
  };

  explicit ModelsSideBySideModel(QObject* parent = nullptr);

  void setComparison(ComparisonDataPtr comparison, const QVector<int>& reference_layers);
  // -1 or a token outside the routing: no rows.
  void setToken(int token);
  int token() const { return token_; }
  // Model of a column (> 0), -1 for the layer column.
  int modelOfColumn(int column) const { return column > 0 ? column - 1 : -1; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  const LayerRoutingData* routingAt(int model, int row) const;
  bool differs(int model, int row) const;

  ComparisonDataPtr comparison_;
  QVector<int> layers_;
  int token_ = -1;
};

}  // namespace moescope::widgets
