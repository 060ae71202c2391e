#include "app/gui/sample_prompts.h"

#include <QCoreApplication>

namespace moescope::gui {

QString defaultPrompt() { return QStringLiteral("As an open source alternative to"); }

QList<SamplePrompt> samplePrompts() {
  // 52 words of plain English prose on the topic itself (64-100 tokens, as the tokenizer cuts
  // them): long enough that repeated words, punctuation and function words show their own
  // routing patterns.
  const QString passage = QStringLiteral(
      "A mixture-of-experts model replaces the single feed-forward block of each layer with many "
      "smaller experts. For every token, a small router picks the two experts it trusts most and "
      "blends their outputs. The model can therefore hold far more knowledge than it spends "
      "compute on, and each expert is free to specialise.");
  return {
      {QCoreApplication::translate("SamplePrompts", "Short prompt (paper)"), defaultPrompt()},
      {QCoreApplication::translate("SamplePrompts", "Passage (52 words)"), passage},
  };
}

}  // namespace moescope::gui
