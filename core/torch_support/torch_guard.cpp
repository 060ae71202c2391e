#include "core/torch_support/torch_guard.h"

#include <cstdint>
#include <cstdio>
#include <regex>

namespace moescope::torch_support {

namespace {

std::string firstLine(std::string message) {
  // The first line of torch's message is the useful one; the rest is a C++ backtrace.
  if (const auto newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
  return message;
}

std::string bytesText(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 6) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.2f %s", value, units[unit]);
  return text;
}

}  // namespace

bool isOutOfMemory(const c10::Error& error) {
  if (dynamic_cast<const c10::OutOfMemoryError*>(&error) != nullptr) return true;
  const std::string message = firstLine(error.what_without_backtrace());
  for (const char* sign : {"out of memory", "Out of memory", "Out of Memory", "can't allocate memory", "not enough memory"}) {
    if (message.find(sign) != std::string::npos) return true;
  }
  return false;
}

std::string describeOutOfMemory(const std::string& torch_message) {
  const std::string message = firstLine(torch_message);
  std::smatch match;
  // CUDA's caching allocator: "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB
  // total capacity; ...)".
  static const std::regex gpu(R"(Tried to allocate ([0-9.]+ ?[KMGTP]?i?B))");
  if (std::regex_search(message, match, gpu)) {
    return "the GPU ran out of memory: it needed " + match[1].str() +
           " more (torch: " + message + "); use fewer tokens, --dtype bfloat16 or --device cpu";
  }
  // The CPU allocator: "DefaultCPUAllocator: can't allocate memory: you tried to allocate
  // 137438953472 bytes. Error code 12 (Cannot allocate memory)".
  static const std::regex host(R"(tried to allocate ([0-9]+) bytes)");
  if (std::regex_search(message, match, host)) {
    return "out of host memory: needed " + bytesText(std::stoull(match[1].str())) +
           " at once (torch: " + message + "); use fewer tokens or a smaller --dtype";
  }
  return "out of memory (torch: " + message + ")";
}

void rethrowTorchError(const c10::Error& error, const std::string& context) {
  if (isOutOfMemory(error)) throw Error(ErrorCategory::OutOfMemory, context + ": " + describeOutOfMemory(error.what_without_backtrace()));
  throw Error(ErrorCategory::Internal, context + ": " + firstLine(error.what_without_backtrace()));
}

}  // namespace moescope::torch_support
