#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "core/results/results_comparison.h"

namespace moescope::cli {
namespace {

struct DiffOptions {
  std::string first, second;
  double tolerance = 0;
  std::size_t max_differences = 20;
  std::vector<std::string> paths;
};

}  // namespace

void addDiffCommand(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* command = app.add_subcommand(
      "diff", "Compare two results files dataset by dataset (exit 0: equal, 1: different, 2: unreadable)");
  command->add_option("A", o->first, "Results file")->required();
  command->add_option("B", o->second, "Results file")->required();
  command->add_option("PATH", o->paths, "Groups or datasets to compare, e.g. /layers/3 (default: everything)");
  command->add_option("--tolerance", o->tolerance,
                      "Numbers agree when |a - b| <= tolerance * max(1, |a|, |b|) (default 0: only equal numbers)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--max-differences", o->max_differences, "Stop after this many differences")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->callback([o] {
    const auto a = results::ResultsReader::open(o->first);
    const auto b = results::ResultsReader::open(o->second);
    const results::Comparison comparison = results::compareResults(
        a, b, {o->tolerance, o->max_differences, o->paths.empty() ? std::vector<std::string>{"/"} : o->paths});
    for (const auto& line : comparison.differences) std::cout << line << "\n";
    if (comparison.equal()) {
      std::cout << "equal: " << comparison.datasets << " datasets, " << comparison.attributes << " attributes"
                << std::endl;
      return;
    }
    std::cout.flush();
    // Not an error: "different" is an answer, told by the exit status as diff(1) does.
    throw CLI::RuntimeError(1);
  });
}

}  // namespace moescope::cli
