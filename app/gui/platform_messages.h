#pragma once
// Qt's headless platforms (offscreen, minimal), which screenshots and checks run on, warn once
// per window that they cannot propagate size hints: noise that says nothing about MoEScope.
// This drops that one message and passes every other to the handler installed before.
namespace moescope::gui {

void silenceHeadlessPlatformNoise();

}  // namespace moescope::gui
