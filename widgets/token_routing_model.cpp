#include "widgets/token_routing_model.h"

#include <QPixmap>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"

namespace moescope::widgets {

TokenRoutingModel::TokenRoutingModel(QObject* parent) : QAbstractTableModel(parent) {}

void TokenRoutingModel::setTexts(const QString& layer_header, const QString& rank_header, const QString& cell) {
  layer_header_ = layer_header;
  rank_header_ = rank_header;
  cell_ = cell;
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
  return parent.isValid() ? 0 : 1 + qMax(0, routing_.top_k);
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
  const int rank = index.column() - 1;
  const int expert = layer.chosenExpert(token_, rank);
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

QVariant TokenRoutingModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  if (section < 0 || section >= columnCount()) return {};
  return section == 0 ? layer_header_ : rank_header_.arg(section);
}

}  // namespace moescope::widgets
