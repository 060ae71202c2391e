#include "widgets/figure_style.h"

namespace moescope::widgets {

FigureStyle FigureStyle::paper(const QString& model_name) {
  FigureStyle style;
  style.model_name = model_name;
  style.title = model_name.isEmpty() ? Title::Hidden : Title::Custom;
  style.custom_title = model_name;
  style.captions = false;
  return style;
}

QString FigureStyle::titleFor(const QString& own) const {
  switch (title) {
    case Title::Hidden: return {};
    case Title::Custom: return custom_title;
    case Title::Automatic: break;
  }
  if (!with_model_name || model_name.isEmpty() || own.isEmpty()) return own;
  return model_name + QStringLiteral(": ") + own;
}

}  // namespace moescope::widgets
