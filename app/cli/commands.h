#pragma once
// The subcommands of moescope-cli. Each registers its options on the parser and runs when
// chosen; errors travel as moescope::Error up to main(), which prints one line and exits 2.
#include <CLI/CLI.hpp>

namespace moescope::cli {

void addInspectCommand(CLI::App& app);
void addRouteCommand(CLI::App& app);
void addMakeDemoCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addSummaryCommand(CLI::App& app);
void addTokenizeCommand(CLI::App& app);
void addFigureCommand(CLI::App& app);
void addDiffCommand(CLI::App& app);
void addMergeCommand(CLI::App& app);
void addCompareRoutingCommand(CLI::App& app);
void addCompareExpertsCommand(CLI::App& app);
void addCompareCommand(CLI::App& app);
void addGenerateCommand(CLI::App& app);

}  // namespace moescope::cli
