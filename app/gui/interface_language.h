#pragma once
// The language of the interface: the system's, unless the user chose one (View > Language,
// kept in QSettings). Our catalogue comes from the .qm files lrelease builds into the
// executable; Qt's own (standard dialogs) from the Qt installation.
#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;
class QMenu;
class QObject;

namespace moescope::gui {

// "de", "zh_CN", ... or empty for the system's language.
QString chosenLanguage();
void setChosenLanguage(const QString& language);
// The locale whose translations the interface uses.
QLocale interfaceLocale();
// The languages with a catalogue, as "de", "zh_CN" (English is the source language).
QStringList translatedLanguages();

// Loads moescope_<locale>.qm from folder (":/i18n" in the application) and Qt's own catalogue
// and installs them in app; false when ours has no catalogue for the locale (English).
bool installTranslators(QCoreApplication& app, const QLocale& locale, const QString& folder);

// System, English and every translated language, as checkable actions; choosing one keeps it
// for the next start (translating a running window would leave half its texts behind).
void addLanguageMenu(QMenu* menu, QObject* context);

}  // namespace moescope::gui
