#pragma once
// Ctrl+C (SIGINT) and SIGTERM become a cancel request, so that a long command unwinds and
// removes its temporary files instead of dying with them on disk.
#include "core/cancel_token.h"

namespace moescope::cli {

// Installs the handlers once and returns the token they cancel.
const CancelToken& interruptToken();

}  // namespace moescope::cli
