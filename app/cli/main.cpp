#include <cstdio>
#include <exception>
#include <iostream>

#include "app/cli/commands.h"
#include "core/error.h"

namespace {

constexpr int kExitFailure = 2;

void printError(const std::string& message) {
  // One line, always: the first line of whatever went wrong.
  std::string line = message.substr(0, message.find('\n'));
  std::cerr << "moescope-cli: error: " << line << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"MoEScope command line: inspect Mixture-of-Experts checkpoints and record their routing",
               "moescope-cli"};
  app.set_version_flag("--version", std::string("moescope-cli ") + MOESCOPE_VERSION);
  app.require_subcommand(1);
  moescope::cli::addInspectCommand(app);
  moescope::cli::addRouteCommand(app);
  moescope::cli::addMakeDemoCommand(app);
  moescope::cli::addAnalyzeCommand(app);
  moescope::cli::addSummaryCommand(app);
  moescope::cli::addTokenizeCommand(app);
  moescope::cli::addFigureCommand(app);
  moescope::cli::addMergeCommand(app);
  moescope::cli::addDiffCommand(app);
  moescope::cli::addCompareRoutingCommand(app);
  moescope::cli::addCompareExpertsCommand(app);
  moescope::cli::addCompareCommand(app);
  moescope::cli::addGenerateCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // an answer told by the exit status (diff: 1 = different)
  } catch (const CLI::ParseError& e) {
    printError(std::string(e.what()) + " (see moescope-cli --help)");
    return kExitFailure;
  } catch (const moescope::Error& e) {
    printError(e.what());
    return kExitFailure;
  } catch (const std::exception& e) {
    printError(std::string("unexpected failure: ") + e.what());
    return kExitFailure;
  }
  return 0;
}
