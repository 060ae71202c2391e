#pragma once
// The prompts offered in the prompt editor's combo box.
#include <QList>
#include <QString>

namespace moescope::gui {

struct SamplePrompt {
  QString name;  // translated, for the combo box
  QString text;  // English: the models we open were trained on it
};

QList<SamplePrompt> samplePrompts();

// The paper's short prompt, analysed automatically on the first run.
QString defaultPrompt();

}  // namespace moescope::gui
