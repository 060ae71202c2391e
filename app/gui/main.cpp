// moescope: the desktop explorer. With no argument it opens (and on first run generates) the
// built-in demo model and analyses the default prompt; with a folder it opens that model, with
// a results file (.h5) it shows those results.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLocale>
#include <QSpinBox>
#include <QTabWidget>

#include "app/gui/interface_language.h"
#include "app/gui/main_window.h"
#include "app/gui/platform_messages.h"
#include "app/gui/prompt_panel.h"

int main(int argc, char** argv) {
  moescope::gui::silenceHeadlessPlatformNoise();
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("MoEScope"));
  QApplication::setApplicationName(QStringLiteral("moescope"));
  QApplication::setApplicationDisplayName(QStringLiteral("MoEScope"));
  QApplication::setApplicationVersion(QStringLiteral(MOESCOPE_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("moescope"));
  // The catalogues lrelease built into the executable; the user's choice, else the system's.
  // Numbers follow the same language as the words (see widgets/number_text.h).
  const QLocale locale = moescope::gui::interfaceLocale();
  QLocale::setDefault(locale);
  moescope::gui::installTranslators(app, locale, QStringLiteral(":/i18n"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "Explore the routing of Mixture-of-Experts language models."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("path"),
                               QApplication::translate("main", "Model folder, GGUF file or results file (.h5) to open "
                                                               "(default: the built-in demo model)."),
                               QStringLiteral("[folder | model.gguf | results.h5]"));
  // Hidden: used to produce documentation screenshots and to check the GUI headlessly.
  QCommandLineOption screenshot(QStringLiteral("screenshot"), QString(), QStringLiteral("file"));
  screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
  QCommandLineOption prompt(QStringLiteral("prompt"), QString(), QStringLiteral("text"));
  prompt.setFlags(QCommandLineOption::HiddenFromHelp);
  QCommandLineOption tab(QStringLiteral("tab"), QString(), QStringLiteral("index"));
  tab.setFlags(QCommandLineOption::HiddenFromHelp);
  // With a model: Generate (up to this many tokens) instead of Analyze once it is open.
  QCommandLineOption generate(QStringLiteral("generate"), QString(), QStringLiteral("tokens"));
  generate.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOption(screenshot);
  parser.addOption(tab);
  parser.addOption(prompt);
  parser.addOption(generate);
  parser.process(app);

  moescope::gui::MainWindow window;
  if (parser.isSet(prompt)) window.promptPanel()->setText(parser.value(prompt));
  if (parser.isSet(screenshot)) window.setScreenshotPath(parser.value(screenshot));
  if (parser.isSet(generate)) {
    window.setGenerateOnOpen(true);
    window.promptPanel()->maxNewTokensBox()->setValue(parser.value(generate).toInt());
  }
  if (parser.isSet(tab)) {
    const int index = parser.value(tab).toInt();
    window.viewTabs()->setCurrentIndex(index);
    // Opening a comparison brings its first tab forward: the tab asked for wins again.
    QObject::connect(&window, &moescope::gui::MainWindow::idle, &window,
                     [&window, index] { window.viewTabs()->setCurrentIndex(index); });
  }
  window.show();

  const QStringList paths = parser.positionalArguments();
  // A screenshot needs results, so it analyses a given folder right away too.
  if (paths.isEmpty()) window.openDemoModel(true);
  else if (const QFileInfo info(paths.first()); !info.isDir() && info.suffix().compare(QLatin1String("h5"), Qt::CaseInsensitive) == 0)
    window.openResultsFile(paths.first());
  else window.openModelFolder(paths.first(), parser.isSet(screenshot));
  return QApplication::exec();
}
