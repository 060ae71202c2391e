#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "core/demo/demo_model.h"

namespace moescope::cli {

void addMakeDemoCommand(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("make-demo", "Write the built-in demo model (a small Mixtral-format checkpoint)");
  command->add_option("DIR", *dir, "Folder to write config.json, model.safetensors and the tokenizer into")->required();
  command->callback([dir] {
    demo::writeDemoModel(*dir);
    std::cout << "wrote the demo model to " << *dir << std::endl;
  });
}

}  // namespace moescope::cli
