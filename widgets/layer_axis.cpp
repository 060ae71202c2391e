#include "widgets/layer_axis.h"

#include <qcustomplot.h>

#include <cmath>

namespace moescope::widgets {

void setUpLayerAxis(QCPAxis* axis) {
  axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  axis->setSubTicks(false);
  axis->grid()->setZeroLinePen(Qt::NoPen);
}

void labelLayerAxis(QCPAxis* axis, const QVector<int>& decoder_layers) {
  auto ticker = qSharedPointerCast<QCPAxisTickerText>(axis->ticker());
  ticker->clear();
  const int count = int(decoder_layers.size());
  const int step = qMax(1, int(std::ceil(count / 16.0)));
  for (int i = 0; i < count; i += step) ticker->addTick(i, QString::number(decoder_layers[i]));
}

QCPItemStraightLine* addLayerMarker(QCustomPlot* plot) {
  auto* marker = new QCPItemStraightLine(plot);
  marker->setPen(QPen(QColor(0xE4, 0x1A, 0x1C), 1.5, Qt::DashLine));
  marker->setSelectable(false);
  return marker;
}

void placeLayerMarker(QCPItemStraightLine* marker, int index) {
  marker->setVisible(index >= 0);
  if (index < 0) return;
  marker->point1->setCoords(index, 0);
  marker->point2->setCoords(index, 1);
}

}  // namespace moescope::widgets
