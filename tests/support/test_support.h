#pragma once
// Helpers shared by the test suites: temporary model folders and the shared reference data.
#include <QString>
#include <filesystem>
#include <functional>
#include <string>

namespace moescope::test {

// tests/data/reference/<relative>: the public reference data the tests read (see its README)
std::filesystem::path referencePath(const std::string& relative);
std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

// Runs a callable and returns the exception's category and message (QFAIL-friendly).
struct Caught {
  bool threw = false;
  int category = -1;  // static_cast<int>(ErrorCategory)
  std::string message;
};
Caught catchError(const std::function<void()>& fn);

// A GUI suite's settings and standard paths, kept apart from the user's: QStandardPaths' test
// mode and an organisation ("MoEScopeTest") and application name of the suite's own. `fresh`
// also clears what an earlier run of the suite left in its settings.
void isolateSettings(const QString& application, bool fresh = false);

}  // namespace moescope::test
