#pragma once
// The one exception type of MoEScope. Its category lets the CLI and the GUI react
// (exit status, dialog title) without parsing messages; its message names the file,
// tensor or field at fault.
#include <stdexcept>
#include <string>
#include <string_view>

namespace moescope {

enum class ErrorCategory {
  InvalidArgument,          // a bad command-line value, empty text, ids out of range
  Io,                       // cannot open, read, write or rename a file
  MalformedFile,            // a file's bytes contradict its format (safetensors, JSON, ...)
  UnsupportedFormat,        // a well-formed file we refuse (pickled .bin weights, unknown dtype)
  UnsupportedArchitecture,  // config.json names a family MoEScope does not know
  InvalidConfig,            // config.json has missing, mistyped or absurd fields
  ShapeMismatch,            // a tensor's shape contradicts config.json
  Tokenizer,                // no usable tokenizer, or a broken tokenizer file
  Device,                   // CUDA asked for but not available, ...
  OutOfMemory,
  Cancelled,
  Internal,
};

std::string_view categoryName(ErrorCategory category);

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message);
  ErrorCategory category() const noexcept { return category_; }

 private:
  ErrorCategory category_;
};

}  // namespace moescope
