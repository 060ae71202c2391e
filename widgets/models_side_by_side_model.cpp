#include "widgets/models_side_by_side_model.h"

#include <QColor>

#include "widgets/number_text.h"

namespace moescope::widgets {

namespace {
// A light orange tint, Okabe-Ito's orange washed out: readable under black text.
const QColor kDiffersTint(0xFB, 0xE3, 0xB0);
}  // namespace

ModelsSideBySideModel::ModelsSideBySideModel(QObject* parent) : QAbstractTableModel(parent) {}

void ModelsSideBySideModel::setComparison(ComparisonDataPtr comparison, const QVector<int>& reference_layers) {
  beginResetModel();
  comparison_ = std::move(comparison);
  layers_ = reference_layers;
  endResetModel();
}

void ModelsSideBySideModel::setToken(int token) {
  if (token == token_) return;
  // The rows come and go with a token in range.
  beginResetModel();
  token_ = token;
  endResetModel();
}

int ModelsSideBySideModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !comparison_ || comparison_->isEmpty()) return 0;
  const int tokens = comparison_->routing.value(comparison_->reference).tokenCount();
  return token_ >= 0 && token_ < tokens ? int(layers_.size()) : 0;
}

int ModelsSideBySideModel::columnCount(const QModelIndex& parent) const {
  if (parent.isValid() || !comparison_ || comparison_->isEmpty()) return 0;
  return 1 + int(comparison_->models.size());
}

const LayerRoutingData* ModelsSideBySideModel::routingAt(int model, int row) const {
  return comparison_ ? comparison_->layerRouting(model, layers_.value(row, -1)) : nullptr;
}

bool ModelsSideBySideModel::differs(int model, int row) const {
  return comparison_->choicesDiffer(model, layers_.value(row, -1), token_);
}

QVariant ModelsSideBySideModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const int row = index.row();
  if (index.column() == 0) return role == Qt::DisplayRole ? QVariant(layers_.value(row)) : QVariant();
  const int model = modelOfColumn(index.column());
  const LayerRoutingData* routing = routingAt(model, row);
  switch (role) {
    case Qt::DisplayRole: {
      if (!routing) return tr("no routing");
      QStringList parts;
      for (int r = 0; r < routing->top_k; ++r) {
        const int expert = routing->chosenExpert(token_, r);
        QString part = tr("E%1 %2").arg(expert).arg(numberText(double(routing->gateScore(token_, expert)), 'f', 3));
        if (routing->hasOutputNorms())
          part += QStringLiteral(" ‖%1‖").arg(numberText(double(routing->outputNorm(token_, expert)), 'f', 2));
        parts << part;
      }
      // One expert per line: the dock beside the views is narrow, and a model's column then
      // needs the width of one expert, not of k.
      return parts.join(QLatin1Char('\n'));
    }
    case Qt::BackgroundRole:
      return differs(model, row) ? QVariant(kDiffersTint) : QVariant();
    case Qt::ForegroundRole:
      return differs(model, row) ? QVariant(QColor(Qt::black)) : QVariant();
    case DiffersRole: return differs(model, row);
    case ExpertsRole: {
      QList<int> experts;
      for (int r = 0; routing && r < routing->top_k; ++r) experts << routing->chosenExpert(token_, r);
      return QVariant::fromValue(experts);
    }
    case Qt::ToolTipRole:
      if (!routing) return {};
      return differs(model, row) ? tr("%1 chose other experts than %2 at layer %3")
                                       .arg(comparison_->models.value(model), comparison_->models.value(comparison_->reference))
                                       .arg(layers_.value(row))
                                 : tr("%1 at layer %2: expert, router score, output norm")
                                       .arg(comparison_->models.value(model))
                                       .arg(layers_.value(row));
    default: return {};
  }
}

QVariant ModelsSideBySideModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  if (section == 0) return tr("Layer");
  const int model = modelOfColumn(section);
  if (!comparison_ || model >= comparison_->models.size()) return {};
  return model == comparison_->reference ? tr("%1 (reference)").arg(comparison_->models[model]) : comparison_->models[model];
}

}  // namespace moescope::widgets
