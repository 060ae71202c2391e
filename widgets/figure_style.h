#pragma once
// How an exported figure dresses for a paper: its title (the view's own, none, or one typed),
// the model's name in it, the lines of numbers under some plots, and the paper's font. Plain
// data; FigureTextFit applies it for the time of one export.
#include <QString>

namespace moescope::widgets {

struct FigureStyle {
  enum class Title { Automatic, Hidden, Custom };
  Title title = Title::Automatic;
  QString custom_title;
  QString model_name;            // the model's name: prefixed with with_model_name, the paper preset's title
  bool with_model_name = false;  // "Mixtral-8x7B: Layer 3: weight similarity (up)"
  bool captions = true;          // the lines of numbers under the rank-count and statistics plots
  QString font_family;           // empty: the interface's font
  double body_points = 0;        // the body text size; 0: by the figure's width (figureBodyPointSize)

  // The look of the paper's own figures: the model's name as the only title, no captions.
  static FigureStyle paper(const QString& model_name);

  // The title to show for a view whose own title is `own`; empty: none.
  QString titleFor(const QString& own) const;
};

}  // namespace moescope::widgets
