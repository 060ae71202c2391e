#pragma once
// The explorer benchmarks' command line: "--name value" pairs, any order, unknown ones ignored.
#include <string>

#include "core/torch_support/device.h"
#include "tests/bench/support/synthetic_results.h"

namespace moescope::bench {

int intArgument(int argc, char** argv, const std::string& name, int fallback);
// Empty when not given.
std::string stringArgument(int argc, char** argv, const std::string& name);
// "--keep" style switches, with no value.
bool flagArgument(int argc, char** argv, const std::string& name);
// --device cpu|cuda|auto, cpu when not given; throws Error(InvalidArgument) for anything else.
torch_support::DevicePreference deviceArgument(int argc, char** argv);
// --experts, --layers, --tokens over the defaults of SyntheticRunShape.
SyntheticRunShape shapeArguments(int argc, char** argv);

}  // namespace moescope::bench
