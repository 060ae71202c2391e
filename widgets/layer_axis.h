#pragma once
// A horizontal axis over the MoE layers, as the per-layer curves (diversity, the gate fit) draw
// it: entry i at x = i, labelled with its decoder layer number, and the selected layer marked
// by a dashed vertical line.
#include <QVector>

class QCPAxis;
class QCPItemStraightLine;
class QCustomPlot;

namespace moescope::widgets {

// Text ticks, no sub-ticks, no solid line at index 0 (it counts layers; 0 is not a zero).
void setUpLayerAxis(QCPAxis* axis);
// Ticks at every n-th entry, at most 16, labelled with the decoder layer numbers.
void labelLayerAxis(QCPAxis* axis, const QVector<int>& decoder_layers);
// The dashed line marking the selected layer, on plot's main axes.
QCPItemStraightLine* addLayerMarker(QCustomPlot* plot);
// Puts the marker at entry index, or hides it when index is -1.
void placeLayerMarker(QCPItemStraightLine* marker, int index);

}  // namespace moescope::widgets
