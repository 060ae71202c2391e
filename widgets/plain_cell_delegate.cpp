#include "widgets/plain_cell_delegate.h"

#include <QApplication>
#include <QPainter>

namespace moescope::widgets {

void PlainCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt = option;
  initStyleOption(&opt, index);
  const QWidget* widget = opt.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

  const bool enabled = opt.state & QStyle::State_Enabled;
  const bool selected = opt.state & QStyle::State_Selected;
  const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
  QRect text_rect = opt.rect.adjusted(margin, 0, -margin, 0);
  painter->save();
  if (opt.features & QStyleOptionViewItem::HasDecoration) {
    const QSize side = opt.decorationSize;
    const QRect icon_rect(QPoint(text_rect.left(), opt.rect.center().y() - side.height() / 2 + 1), side);
    opt.icon.paint(painter, icon_rect, Qt::AlignCenter, !enabled ? QIcon::Disabled : selected ? QIcon::Selected : QIcon::Normal);
    text_rect.setLeft(icon_rect.right() + 1 + 2 * margin);
  }
  if (!opt.text.isEmpty()) {
    const QPalette::ColorGroup group = !enabled ? QPalette::Disabled
                                       : (opt.state & QStyle::State_Active) ? QPalette::Normal
                                                                            : QPalette::Inactive;
    painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(opt.font);
    // Measuring the text costs a layout; an upper bound from the widest glyph spares it when
    // the cell is clearly wide enough, which it is in a stretched column.
    const QFontMetrics& metrics = opt.fontMetrics;
    const bool fits = qsizetype(metrics.maxWidth()) * opt.text.size() <= text_rect.width();
    painter->drawText(text_rect, int(opt.displayAlignment) | Qt::TextSingleLine,
                      fits ? opt.text : metrics.elidedText(opt.text, opt.textElideMode, text_rect.width()));
  }
  painter->restore();
  if (opt.state & QStyle::State_HasFocus) {
    // The focus frame as the style draws it around a cell (rare: one cell, on keyboard focus).
    QStyleOptionFocusRect focus;
    focus.QStyleOption::operator=(opt);
    focus.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, widget);
    focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
    focus.backgroundColor = opt.palette.color(enabled ? QPalette::Normal : QPalette::Disabled,
                                              selected ? QPalette::Highlight : QPalette::Window);
    style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
  }
}

}  // namespace moescope::widgets
