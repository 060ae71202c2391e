#include "tests/support/cli_runner.h"

#include <QProcess>

namespace moescope::test {

CliRun runCli(const QStringList& args, int timeout_ms) {
  QProcess process;
  process.start(MOESCOPE_CLI_PATH, args);
  process.waitForFinished(timeout_ms);
  CliRun run;
  run.crashed = process.exitStatus() != QProcess::NormalExit;
  run.exit_code = process.exitCode();
  run.out = process.readAllStandardOutput().toStdString();
  run.err = process.readAllStandardError().toStdString();
  return run;
}

}  // namespace moescope::test
