#include "app/gui/interface_language.h"

#include <QAction>
#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QTranslator>

namespace moescope::gui {

namespace {

const QString kLanguageKey = QStringLiteral("interface/language");

struct InterfaceLanguage {
  Q_DECLARE_TR_FUNCTIONS(moescope::gui::InterfaceLanguage)
};

}  // namespace

QString chosenLanguage() { return QSettings().value(kLanguageKey).toString(); }

void setChosenLanguage(const QString& language) {
  QSettings settings;
  if (language.isEmpty()) settings.remove(kLanguageKey);
  else settings.setValue(kLanguageKey, language);
}

QLocale interfaceLocale() {
  const QString chosen = chosenLanguage();
  return chosen.isEmpty() ? QLocale() : QLocale(chosen);
}

QStringList translatedLanguages() { return {QStringLiteral("de"), QStringLiteral("zh_CN")}; }

bool installTranslators(QCoreApplication& app, const QLocale& locale, const QString& folder) {
  auto* ours = new QTranslator(&app);
  const bool found = ours->load(locale, QStringLiteral("moescope"), QStringLiteral("_"), folder);
  if (found) QCoreApplication::installTranslator(ours);
  else delete ours;
  auto* qt = new QTranslator(&app);
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(qt);
  else delete qt;
  return found;
}

void addLanguageMenu(QMenu* menu, QObject* context) {
  auto* group = new QActionGroup(menu);
  const QString chosen = chosenLanguage();
  const auto add = [&](const QString& text, const QString& language) {
    QAction* action = menu->addAction(text);
    action->setCheckable(true);
    action->setChecked(language == chosen);
    action->setData(language);
    group->addAction(action);
  };
  add(InterfaceLanguage::tr("System Language"), QString());
  menu->addSeparator();
  // Each language by its own name, so a user who cannot read the current one finds theirs.
  add(QStringLiteral("English"), QStringLiteral("en"));
  add(QStringLiteral("Deutsch"), QStringLiteral("de"));
  add(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
  QObject::connect(group, &QActionGroup::triggered, context, [menu](QAction* action) {
    const QString language = action->data().toString();
    if (language == chosenLanguage()) return;
    setChosenLanguage(language);
    QMessageBox::information(menu->window(), InterfaceLanguage::tr("Language"),
                             InterfaceLanguage::tr("The new language applies from the next start of MoEScope."));
  });
}

}  // namespace moescope::gui
