#pragma once
// Paints a table cell as the style does (its background, selection and alternate rows), then
// the cell's icon and one line of text directly. The style lays the text out several times per
// cell (size, elision, drawing); a table whose every cell changes on each click, such as the
// token inspector's, repaints several times faster this way.
#include <QStyledItemDelegate>

namespace moescope::widgets {

class PlainCellDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace moescope::widgets
