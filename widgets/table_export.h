#pragma once
// File > Export Data as CSV: asks for a file and writes a view's table there.
#include <QString>

#include "widgets/data_table.h"

class QWidget;

namespace moescope::widgets {

// Returns false when the user cancelled; otherwise *path is the file chosen and *error is
// empty on success. suggested_name: the file's base name.
bool exportTableWithDialog(const DataTable& table, const QString& suggested_name, QWidget* parent, QString* path,
                           QString* error);

}  // namespace moescope::widgets
