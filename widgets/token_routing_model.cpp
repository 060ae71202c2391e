#include "widgets/token_routing_model.h"

#include <QPixmap>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"

namespace moescope::widgets {

TokenRoutingModel::TokenRoutingModel(QObject* parent) : QAbstractTableModel(parent) {}

void TokenRoutingModel::setTexts(const QString& layer_header, const QString& rank_header, const QString& cell,
                                 const QString& norm_header, const QString& norm_cell) {
  layer_header_ = layer_header;
  rank_header_ = rank_header;
  cell_ = cell;
  norm_header_ = norm_header;
  norm_cell_ = norm_cell;
  if (columnCount() > 0) emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void TokenRoutingModel::setSwatchSide(int side) {
  if (side == swatch_side_) return;
  swatch_side_ = side;
  swatches_.clear();
}

void TokenRoutingModel::setRouting(const RoutingData& routing) {
  beginResetModel();
  routing_ = routing;
  endResetModel();
}

void TokenRoutingModel::setToken(int token) {
  const bool had = hasToken();
  const int old_token = token_;
  token_ = token;
  const bool has = hasToken();
  if (had != has) {
    // The rows come or go: a reset is simplest and rare (no token, or a shorter prompt).
    token_ = old_token;
    beginResetModel();
    token_ = token;
    endResetModel();
    return;
  }
  if (has && token != old_token && rowCount() > 0)
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

int TokenRoutingModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !hasToken() ? 0 : routing_.layerCount();
}

int TokenRoutingModel::columnCount(const QModelIndex& parent) const {
  // Layer, one column per chosen expert, the top-scored expert's norm rank.
  return parent.isValid() ? 0 : 2 + qMax(0, routing_.top_k);
}

QIcon TokenRoutingModel::swatch(int expert) const {
  auto it = swatches_.constFind(expert);
  if (it != swatches_.cend()) return *it;
  QPixmap pixmap(swatch_side_, swatch_side_);
  pixmap.fill(expertColor(expert));
  QIcon icon(pixmap);
  // Without an explicit selected pixmap the style tints it with the highlight colour, and
  // the current layer's row is always selected: its swatches would lie.
  icon.addPixmap(pixmap, QIcon::Selected);
  return *swatches_.insert(expert, icon);
}

QVariant TokenRoutingModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !hasToken() || index.row() >= routing_.layerCount()) return {};
  const LayerRoutingData& layer = routing_.layers[index.row()];
  if (index.column() == 0) {
    if (role == Qt::DisplayRole) return QString::number(layer.layer);
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignCenter);
    return {};
  }
  if (index.column() == columnCount() - 1) {
    const int norm_rank = normRank(layer);
    switch (role) {
      case Qt::DisplayRole:
        if (norm_rank == 0) return QStringLiteral("–");
        // A check mark where the router's favourite also has the largest output.
        return norm_cell_.arg(norm_rank).arg(layer.experts) + (norm_rank == 1 ? QStringLiteral(" ✓") : QString());
      case Qt::TextAlignmentRole: return int(Qt::AlignCenter);
      case NormRankRole: return norm_rank;
      default: return {};
    }
  }
  const int rank = index.column() - 1;
  const int expert = layer.chosenExpert(token_, rank);
  if (expert < 0) {
    // No routing of this token at this layer (not yet arrived, or not in the file).
    if (role == Qt::DisplayRole) return QStringLiteral("–");
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignCenter);
    return {};
  }
  switch (role) {
    case Qt::DisplayRole:
      return cell_.arg(expert).arg(numberText(double(layer.chosenWeight(token_, rank)), 'f', 3));
    case Qt::DecorationRole:
      return swatch(expert);
    case ExpertRole:
      return expert;
    case WeightRole:
      return double(layer.chosenWeight(token_, rank));
    default:
      return {};
  }
}

int TokenRoutingModel::normRank(const LayerRoutingData& layer) const {
  if (!layer.hasOutputNorms() || layer.gate_scores.size() != qsizetype(layer.tokenCount()) * layer.experts) return 0;
  int top = 0;
  for (int e = 1; e < layer.experts; ++e)
    if (layer.gateScore(token_, e) > layer.gateScore(token_, top)) top = e;
  const float norm = layer.outputNorm(token_, top);
  int rank = 1;
  for (int e = 0; e < layer.experts; ++e) rank += layer.outputNorm(token_, e) > norm;
  return rank;
}

QVariant TokenRoutingModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  if (section < 0 || section >= columnCount()) return {};
  if (section == 0) return layer_header_;
  return section == columnCount() - 1 ? norm_header_ : rank_header_.arg(section);
}

}  // namespace moescope::widgets
