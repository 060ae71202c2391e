#pragma once
// A view of a run: it is given the whole bundle through this one setter, keeps what it draws
// and nothing else, and is never asked for the data back. The window hands every such view the
// same bundle, whether a run is filling it layer by layer or a results file was opened.
namespace moescope::widgets {

struct RunData;

class RunDataView {
 public:
  virtual ~RunDataView() = default;
  virtual void setRunData(const RunData& data) = 0;
};

}  // namespace moescope::widgets
