// The German and Simplified Chinese catalogues: lrelease's .qm files load and translate known
// strings of the window and the views, every message of the .ts sources is translated, and no
// translation loses or invents a placeholder (%1, %n) a message is filled with at run time.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QRegularExpression>
#include <QSettings>
#include <QSet>
#include <QStandardPaths>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include "app/gui/interface_language.h"
#include "tests/support/test_support.h"
#include "widgets/figure_export_dialog.h"
#include "widgets/view_explanations.h"

namespace {

struct Message {
  QString context;
  QString source;
  QStringList translations;  // one, or one per plural form
  bool unfinished = false;
  bool numerus = false;
};

QList<Message> readTs(const QString& path) {
  QList<Message> messages;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return messages;
  QXmlStreamReader xml(&file);
  QString context;
  Message current;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      if (xml.name() == QLatin1String("name")) context = xml.readElementText();
      else if (xml.name() == QLatin1String("message")) {
        current = Message();
        current.context = context;
        current.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
      } else if (xml.name() == QLatin1String("source")) current.source = xml.readElementText();
      else if (xml.name() == QLatin1String("translation")) {
        current.unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
        if (!current.numerus) current.translations << xml.readElementText();
      } else if (xml.name() == QLatin1String("numerusform")) current.translations << xml.readElementText();
    } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
      messages << current;
    }
  }
  return xml.hasError() ? QList<Message>() : messages;
}

QSet<QString> placeholders(const QString& text) {
  static const QRegularExpression marker(QStringLiteral("%(\\d+|n)"));
  QSet<QString> found;
  for (const QRegularExpressionMatch& match : marker.globalMatch(text)) found.insert(match.captured(0));
  return found;
}

}  // namespace

class TestExportTranslations : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    moescope::test::isolateSettings(QStringLiteral("moescope-test"));
  }

  void builtCataloguesTranslateKnownStrings_data() {
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("exportFigure");
    QTest::addColumn<QString>("plotted");
    QTest::newRow("de") << QStringLiteral("de_DE") << QStringLiteral("Abbildung exportieren") << QStringLiteral("Was gezeigt wird.");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << QStringLiteral("导出图") << QStringLiteral("绘制的内容。");
  }

  void builtCataloguesTranslateKnownStrings() {
    QFETCH(QString, locale);
    QFETCH(QString, exportFigure);
    QFETCH(QString, plotted);
    QTranslator translator;
    QVERIFY2(translator.load(QLocale(locale), QStringLiteral("moescope"), QStringLiteral("_"), QStringLiteral(MOESCOPE_QM_DIR)),
             MOESCOPE_QM_DIR);
    QVERIFY(QCoreApplication::installTranslator(&translator));
    // A dialog built now speaks the language, and so do the views' explanations.
    moescope::widgets::FigureExportDialog dialog(QStringLiteral("figure"), QSize(100, 100));
    QCOMPARE(dialog.windowTitle(), exportFigure);
    QVERIFY2(moescope::widgets::explain::routingHeatmap().contains(plotted), qPrintable(moescope::widgets::explain::routingHeatmap()));
    QCOMPARE(QCoreApplication::translate("main", "Explore the routing of Mixture-of-Experts language models."),
             locale == QLatin1String("de_DE") ? QStringLiteral("Das Routing von Mixture-of-Experts-Sprachmodellen erkunden.")
                                              : QStringLiteral("探索混合专家（MoE）语言模型的路由。"));
    QVERIFY(QCoreApplication::removeTranslator(&translator));
    QCOMPARE(QCoreApplication::translate("moescope::widgets::FigureExportDialog", "Export Figure"), QStringLiteral("Export Figure"));
  }

  void theChosenLanguageWinsOverTheSystem() {
    moescope::gui::setChosenLanguage(QStringLiteral("zh_CN"));
    QCOMPARE(moescope::gui::interfaceLocale().name(), QStringLiteral("zh_CN"));
    QCOMPARE(QSettings().value(QStringLiteral("interface/language")).toString(), QStringLiteral("zh_CN"));
    moescope::gui::setChosenLanguage(QString());
    QCOMPARE(moescope::gui::interfaceLocale(), QLocale());
    // English has no catalogue: the source strings show.
    QVERIFY(!moescope::gui::installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("en")),
                                              QStringLiteral(MOESCOPE_QM_DIR)));
    QVERIFY(moescope::gui::installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("de")),
                                             QStringLiteral(MOESCOPE_QM_DIR)));
    QCOMPARE(QCoreApplication::translate("moescope::gui::ViewActions", "&Export Figure…"), QStringLiteral("Abbildung &exportieren …"));
  }

  // The Chinese catalogue needs a font with CJK characters, or the interface shows empty
  // boxes; the set-up script installs one (fonts-wqy-microhei) and the package recommends it.
  void chineseHasAFont() {
    QVERIFY2(!QFontDatabase::families(QFontDatabase::SimplifiedChinese).isEmpty(),
             "no font for Simplified Chinese is installed: run packaging/setup.sh, or install fonts-wqy-microhei");
    // The interface's strings render with it: every character of a translated label is found.
    const QFont font(QFontDatabase::families(QFontDatabase::SimplifiedChinese).first());
    const QFontMetrics metrics(font);
    for (const QChar c : QStringLiteral("层专家"))
      QVERIFY2(metrics.inFont(c), qPrintable(QString(c)));
  }

  void everyMessageIsTranslatedWithItsPlaceholders_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("forms");  // plural forms of the language
    QTest::newRow("de") << QStringLiteral("moescope_de.ts") << 2;
    QTest::newRow("zh_CN") << QStringLiteral("moescope_zh_CN.ts") << 1;
  }

  void everyMessageIsTranslatedWithItsPlaceholders() {
    QFETCH(QString, file);
    QFETCH(int, forms);
    const QList<Message> messages = readTs(QDir(QStringLiteral(MOESCOPE_TS_DIR)).filePath(file));
    QVERIFY(messages.size() > 300);
    for (const Message& m : messages) {
      const QString where = m.context + QStringLiteral(": ") + m.source;
      QVERIFY2(!m.unfinished, qPrintable(where));
      QCOMPARE(m.translations.size(), m.numerus ? forms : 1);
      for (const QString& translation : m.translations) {
        QVERIFY2(!translation.isEmpty(), qPrintable(where));
        QVERIFY2(placeholders(translation) == placeholders(m.source), qPrintable(where + QStringLiteral(" -> ") + translation));
      }
    }
  }
};

QTEST_MAIN(TestExportTranslations)
#include "test_export_translations.moc"
