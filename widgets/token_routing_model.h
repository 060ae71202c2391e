#pragma once
// The selected token's experts at every layer as a table model: a row per MoE layer, the layer
// number and then the top-k experts with their mixing weights, best first. The cells are worked
// out when the view asks for them, so a token change is one dataChanged and no item is made.
#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QStringList>

#include "widgets/routing_data.h"

namespace moescope::widgets {

class TokenRoutingModel : public QAbstractTableModel {
 public:
  // Data roles of the rank cells, for code that reads the table (tests, copy).
  enum Role {
    ExpertRole = Qt::UserRole + 1,
    WeightRole,
    // The last column: the output-norm rank (1 = largest) of the expert with the highest gate
    // score; 0 where the layer has no output norms.
    NormRankRole,
  };

  explicit TokenRoutingModel(QObject* parent = nullptr);

  // The texts, translated by the owner: column headers ("Layer", then one per rank with %1 for
  // the rank, then the norm rank's), the rank cell ("E%1  %2": expert, weight) and the norm
  // rank cell ("%1 of %2": rank, experts).
  void setTexts(const QString& layer_header, const QString& rank_header, const QString& cell,
                const QString& norm_header, const QString& norm_cell);
  // Side of the expert colour swatches in pixels.
  void setSwatchSide(int side);

  void setRouting(const RoutingData& routing);
  // -1 or a token outside the routing: no rows.
  void setToken(int token);
  int token() const { return token_; }
  bool hasToken() const { return token_ >= 0 && token_ < routing_.tokenCount(); }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QIcon swatch(int expert) const;
  // 1 + the experts whose output norm exceeds that of the expert with the highest gate score.
  int normRank(const LayerRoutingData& layer) const;

  RoutingData routing_;
  int token_ = -1;
  QString layer_header_, rank_header_, cell_, norm_header_, norm_cell_;
  int swatch_side_ = 10;
  mutable QHash<int, QIcon> swatches_;  // per expert, made once
};

}  // namespace moescope::widgets
