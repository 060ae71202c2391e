#pragma once
// The prompt as a row of token chips coloured by each token's top-1 expert at the current
// layer, with a legend of the expert colours. Clicking or Left/Right selects a token.
#include <QVector>
#include <QWidget>

#include "widgets/comparison_data.h"
#include "widgets/data_table.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"

class QLabel;
class QScrollArea;

namespace moescope::widgets {

class ExplanationButton;
class FlowLayout;
class SelectionModel;
class TokenChip;

class TokenStrip : public QWidget, public RunDataView {
  Q_OBJECT

 public:
  explicit TokenStrip(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const RoutingData& routing() const { return routing_; }

  int chipCount() const { return int(chips_.size()); }
  TokenChip* chip(int position) const;
  QColor chipColor(int position) const;
  // In a comparison of models: whether the chip is marked as routed differently by the compared
  // model at the selected layer.
  bool chipDiffers(int position) const;
  // The current layer's choice for every token: layer, position, token id, token, then the
  // top-k experts with their weights, best first.
  DataTable tableData() const;

  // As tall as the chips need at the current width, between one and kMaxChipLines lines;
  // longer prompts scroll. The window gives the views whatever is left.
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  // The flow layouts inside would make this a height-for-width widget, and QBoxLayout then
  // spreads spare height as gaps around it instead of giving it to the views; the size hint
  // follows the width instead (see resizeEvent).
  bool hasHeightForWidth() const override { return false; }

 protected:
  // Chips' tooltips are made when asked for: a long prompt has thousands of chips.
  bool eventFilter(QObject* watched, QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void setRouting(const RoutingData& routing);

  void rebuildChips();
  void appendChips(int from);  // chips for tokens from .. the end
  void rebuildLegend();
  void recolor();
  void updateChecked();
  QString chipToolTip(int position) const;
  int legendHeight(int width) const;
  int hintedHeight(int width) const;
  int chipLineHeight() const;

  SelectionModel* selection_;
  RoutingData routing_;
  ComparisonDataPtr comparison_;
  QScrollArea* scroll_ = nullptr;
  QWidget* chip_host_ = nullptr;
  FlowLayout* chip_layout_ = nullptr;
  QLabel* legend_title_ = nullptr;
  ExplanationButton* explain_ = nullptr;
  QWidget* legend_host_ = nullptr;
  FlowLayout* legend_layout_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QVector<TokenChip*> chips_;
  int legend_experts_ = -1;
};

}  // namespace moescope::widgets
