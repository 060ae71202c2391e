#include "tests/support/test_support.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace moescope::test {

std::filesystem::path referencePath(const std::string& relative) {
  return std::filesystem::path(MOESCOPE_REFERENCE_DIR) / relative;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

Caught catchError(const std::function<void()>& fn) {
  Caught caught;
  try {
    fn();
  } catch (const Error& error) {
    caught.threw = true;
    caught.category = static_cast<int>(error.category());
    caught.message = error.what();
  } catch (const std::exception& error) {
    caught.threw = true;
    caught.category = -2;
    caught.message = std::string("non-MoEScope exception: ") + error.what();
  }
  return caught;
}

void isolateSettings(const QString& application, bool fresh) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("MoEScopeTest"));
  QCoreApplication::setApplicationName(application);
  if (fresh) QSettings().clear();
}

}  // namespace moescope::test
