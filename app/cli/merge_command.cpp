#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/pipeline/merge_shards.h"
#include "core/pipeline/run_fingerprint.h"

namespace moescope::cli {
namespace {

struct MergeOptions {
  std::string out, layers;
  std::vector<std::string> parts;
};

}  // namespace

void addMergeCommand(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  CLI::App* command = app.add_subcommand(
      "merge", "Join the shards of one run (analyze --shard-out) into the results file one machine would have written");
  command->add_option("OUT", o->out, "Results file to write")->required();
  command->add_option("SHARD", o->parts, "Shards written by analyze --layers A-B --shard-out")->required();
  command->add_option("--layers", o->layers, "The layers the merged file must hold (default: every MoE layer)");
  command->callback([o] {
    std::vector<std::filesystem::path> parts(o->parts.begin(), o->parts.end());
    const auto outcome = pipeline::mergeShards(o->out, parts, o->layers, &interruptToken());
    std::cout << "merged " << outcome.parts << (outcome.parts == 1 ? " shard" : " shards") << " into "
              << outcome.output.string() << ": layers " << pipeline::layerListText(outcome.layers) << std::endl;
  });
}

}  // namespace moescope::cli
