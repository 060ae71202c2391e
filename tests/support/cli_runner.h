#pragma once
// Runs the built moescope-cli with arguments and collects what it printed, for the CLI suites.
#include <QStringList>
#include <string>

namespace moescope::test {

struct CliRun {
  int exit_code = -1;
  bool crashed = false;
  std::string out, err;
};

CliRun runCli(const QStringList& args, int timeout_ms = 300000);

}  // namespace moescope::test
