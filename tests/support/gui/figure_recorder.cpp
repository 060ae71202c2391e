#include "tests/support/gui/figure_recorder.h"

#include <QImage>
#include <QPaintEngine>
#include <QPainterPath>
#include <QPixmap>
#include <QSet>
#include <QTextItem>
#include <QTransform>
#include <cmath>

namespace moescope::test {

// Claims every feature, so QPainter hands it text items and transforms as they are instead of
// turning them into paths.
class FigureRecorder::Engine : public QPaintEngine {
 public:
  explicit Engine(FigureRecorder* recorder) : QPaintEngine(QPaintEngine::AllFeatures), recorder_(recorder) {}

  bool begin(QPaintDevice*) override { return true; }
  bool end() override { return true; }
  Type type() const override { return QPaintEngine::User; }

  void updateState(const QPaintEngineState& state) override {
    const QPaintEngine::DirtyFlags dirty = state.state();
    if (dirty & QPaintEngine::DirtyTransform) transform_ = state.transform();
    // A clip is set in the coordinates of its moment (QCustomPlot sets one per element, under
    // the figure's transform); replacing clips only, as QCustomPlot sets them.
    if (dirty & QPaintEngine::DirtyClipRegion) setClip(state.clipOperation(), QRectF(state.clipRegion().boundingRect()));
    if (dirty & QPaintEngine::DirtyClipPath) setClip(state.clipOperation(), state.clipPath().boundingRect());
    if (dirty & QPaintEngine::DirtyClipEnabled) clip_enabled_ = state.isClipEnabled();
  }

  void drawTextItem(const QPointF& origin, const QTextItem& item) override {
    const QRectF box(origin.x(), origin.y() - item.ascent(), item.width(), item.ascent() + item.descent());
    recorder_->texts_.append({item.text(), transform_.map(QPolygonF(box)), item.font(), clip_enabled_ ? clip_ : QRectF()});
  }

  void drawImage(const QRectF& target, const QImage& image, const QRectF&, Qt::ImageConversionFlags) override {
    record(target, image);
  }
  void drawPixmap(const QRectF& target, const QPixmap& pixmap, const QRectF&) override {
    record(target, pixmap.toImage());
  }
  void drawTiledPixmap(const QRectF&, const QPixmap&, const QPointF&) override {}
  void drawPath(const QPainterPath&) override {}
  void drawPolygon(const QPointF*, int, PolygonDrawMode) override {}
  void drawPolygon(const QPoint*, int, PolygonDrawMode) override {}
  void drawLines(const QLineF*, int) override {}
  void drawLines(const QLine*, int) override {}
  void drawRects(const QRectF*, int) override {}
  void drawRects(const QRect*, int) override {}
  void drawEllipse(const QRectF&) override {}
  void drawPoints(const QPointF*, int) override {}

 private:
  void record(const QRectF& target, const QImage& image) {
    QSet<QRgb> colours;
    const int step_x = std::max(1, image.width() / 64), step_y = std::max(1, image.height() / 64);
    for (int y = 0; y < image.height() && colours.size() < 16; y += step_y)
      for (int x = 0; x < image.width() && colours.size() < 16; x += step_x) colours.insert(image.pixel(x, y));
    recorder_->images_.append({transform_.mapRect(target), int(colours.size())});
  }

  void setClip(Qt::ClipOperation operation, const QRectF& logical) {
    const QRectF device = transform_.mapRect(logical);
    if (operation == Qt::NoClip) clip_ = QRectF();
    else if (operation == Qt::IntersectClip && !clip_.isNull()) clip_ = clip_.intersected(device);
    else clip_ = device;
    clip_enabled_ = operation != Qt::NoClip;
  }

  FigureRecorder* recorder_;
  QTransform transform_;
  QRectF clip_;
  bool clip_enabled_ = false;
};

FigureRecorder::FigureRecorder(const QSize& size, double dpi)
    : size_(size), dpi_(dpi), engine_(std::make_unique<Engine>(this)) {}

FigureRecorder::~FigureRecorder() = default;

QPaintEngine* FigureRecorder::paintEngine() const { return engine_.get(); }

int FigureRecorder::metric(PaintDeviceMetric metric) const {
  switch (metric) {
    case PdmWidth: return size_.width();
    case PdmHeight: return size_.height();
    case PdmWidthMM: return int(std::lround(size_.width() / dpi_ * 25.4));
    case PdmHeightMM: return int(std::lround(size_.height() / dpi_ * 25.4));
    case PdmNumColors: return INT_MAX;
    case PdmDepth: return 32;
    case PdmDpiX:
    case PdmDpiY:
    case PdmPhysicalDpiX:
    case PdmPhysicalDpiY: return int(std::lround(dpi_));
    case PdmDevicePixelRatio: return 1;
    case PdmDevicePixelRatioScaled: return int(devicePixelRatioFScale());
  }
  return 0;
}

}  // namespace moescope::test
