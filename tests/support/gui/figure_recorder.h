#pragma once
// A paint device that draws nothing and records where a figure's text and images land, so a
// test can check its layout: every text inside the figure, apart from the others and inside
// the clip it was drawn with (QCustomPlot clips each element to its cell, raised by a pixel),
// colour bars filled with their gradient.
#include <QFont>
#include <QList>
#include <QPaintDevice>
#include <QPolygonF>
#include <QSize>
#include <QString>
#include <memory>

namespace moescope::test {

class FigureRecorder : public QPaintDevice {
 public:
  struct Text {
    QString text;
    QPolygonF outline;  // the text's box (ascent to descent, its advance wide) on the device
    QFont font;
    QRectF clip;        // the clip's bounding box on the device when it was drawn; null: none
  };
  struct Image {
    QRectF target;  // bounding box on the device
    int colours;    // distinct colours, counted up to 16
  };

  FigureRecorder(const QSize& size, double dpi);
  ~FigureRecorder() override;

  QPaintEngine* paintEngine() const override;
  const QList<Text>& texts() const { return texts_; }
  const QList<Image>& images() const { return images_; }

 protected:
  int metric(PaintDeviceMetric metric) const override;

 private:
  class Engine;
  friend class Engine;
  QSize size_;
  double dpi_;
  std::unique_ptr<Engine> engine_;
  QList<Text> texts_;
  QList<Image> images_;
};

}  // namespace moescope::test
