#include "core/error.h"

namespace moescope {

std::string_view categoryName(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::InvalidArgument: return "invalid argument";
    case ErrorCategory::Io: return "I/O error";
    case ErrorCategory::MalformedFile: return "malformed file";
    case ErrorCategory::UnsupportedFormat: return "unsupported format";
    case ErrorCategory::UnsupportedArchitecture: return "unsupported architecture";
    case ErrorCategory::InvalidConfig: return "invalid config";
    case ErrorCategory::ShapeMismatch: return "shape mismatch";
    case ErrorCategory::Tokenizer: return "tokenizer error";
    case ErrorCategory::Device: return "device error";
    case ErrorCategory::OutOfMemory: return "out of memory";
    case ErrorCategory::Cancelled: return "cancelled";
    case ErrorCategory::Internal: return "internal error";
  }
  return "error";
}

Error::Error(ErrorCategory category, const std::string& message)
    : std::runtime_error(message), category_(category) {}

}  // namespace moescope
