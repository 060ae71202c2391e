#include "tests/bench/support/bench_arguments.h"

namespace moescope::bench {

int intArgument(int argc, char** argv, const std::string& name, int fallback) {
  const std::string value = stringArgument(argc, argv, name);
  return value.empty() ? fallback : std::stoi(value);
}

std::string stringArgument(int argc, char** argv, const std::string& name) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return {};
}

bool flagArgument(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == name) return true;
  return false;
}

torch_support::DevicePreference deviceArgument(int argc, char** argv) {
  const std::string value = stringArgument(argc, argv, "--device");
  return torch_support::parseDevicePreference(value.empty() ? "cpu" : value);
}

SyntheticRunShape shapeArguments(int argc, char** argv) {
  SyntheticRunShape shape;
  shape.experts = intArgument(argc, argv, "--experts", shape.experts);
  shape.layers = intArgument(argc, argv, "--layers", shape.layers);
  shape.tokens = intArgument(argc, argv, "--tokens", shape.tokens);
  return shape;
}

}  // namespace moescope::bench
