#include "widgets/table_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace moescope::widgets {

namespace {

struct TableExport {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::TableExport)
};

const QString kFolderKey = QStringLiteral("dataExport/folder");

}  // namespace

bool exportTableWithDialog(const DataTable& table, const QString& suggested_name, QWidget* parent, QString* path,
                           QString* error) {
  if (table.isEmpty()) {
    *path = QString();
    *error = TableExport::tr("This view has no data to export yet.");
    return true;
  }
  QSettings settings;
  const QString folder =
      settings.value(kFolderKey, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).toString();
  const QString start = QDir(folder.isEmpty() ? QDir::homePath() : folder)
                            .filePath((suggested_name.isEmpty() ? QStringLiteral("data") : suggested_name) +
                                      QStringLiteral(".csv"));
  const QString csv_filter = TableExport::tr("CSV table (*.csv)");
  const QString latex_filter = TableExport::tr("LaTeX tabular (*.tex)");
  QString selected = csv_filter;
  QString chosen = QFileDialog::getSaveFileName(parent, TableExport::tr("Export Data"), start,
                                                csv_filter + QStringLiteral(";;") + latex_filter + QStringLiteral(";;") +
                                                    TableExport::tr("All files (*)"),
                                                &selected);
  if (chosen.isEmpty()) return false;
  if (QFileInfo(chosen).suffix().isEmpty()) chosen += selected == latex_filter ? QStringLiteral(".tex") : QStringLiteral(".csv");
  settings.setValue(kFolderKey, QFileInfo(chosen).absolutePath());
  *path = chosen;
  error->clear();
  writeTable(table, chosen, error);
  return true;
}

}  // namespace moescope::widgets
