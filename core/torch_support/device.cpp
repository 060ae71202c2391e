#include "core/torch_support/device.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

#ifdef MOESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace moescope::torch_support {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

DeviceReport probeDevices() {
  DeviceReport report;
#ifdef MOESCOPE_WITH_CUDA
  report.cuda_built = true;
#endif
  if (at::hasCUDA()) {
    report.cuda_device_count = static_cast<int>(at::getNumGPUs());
#ifdef MOESCOPE_WITH_CUDA
    if (report.cuda_device_count > 0) report.cuda_device_name = at::cuda::getDeviceProperties(0)->name;
#endif
  }
  return report;
}

DevicePreference parseDevicePreference(std::string_view text) {
  const std::string value = lower(text);
  if (value == "auto") return DevicePreference::Auto;
  if (value == "cpu") return DevicePreference::Cpu;
  if (value == "cuda" || value == "gpu") return DevicePreference::Cuda;
  throw Error(ErrorCategory::InvalidArgument, "unknown device \"" + std::string(text) + "\" (use auto, cpu or cuda)");
}

ComputeDType parseComputeDType(std::string_view text) {
  const std::string value = lower(text);
  if (value == "float32" || value == "fp32" || value == "f32") return ComputeDType::Float32;
  if (value == "bfloat16" || value == "bf16") return ComputeDType::BFloat16;
  if (value == "float16" || value == "fp16" || value == "f16" || value == "half") return ComputeDType::Float16;
  throw Error(ErrorCategory::InvalidArgument,
              "unknown compute dtype \"" + std::string(text) + "\" (use float32, bfloat16 or float16)");
}

std::string computeDTypeName(ComputeDType dtype) {
  switch (dtype) {
    case ComputeDType::Float32: return "float32";
    case ComputeDType::BFloat16: return "bfloat16";
    case ComputeDType::Float16: return "float16";
  }
  return "float32";
}

std::string resolveDevice(DevicePreference preference) {
  const bool cuda = at::hasCUDA();
  switch (preference) {
    case DevicePreference::Cpu: return "cpu";
    case DevicePreference::Auto: return cuda ? "cuda" : "cpu";
    case DevicePreference::Cuda:
      if (!cuda) {
#ifdef MOESCOPE_WITH_CUDA
        throw Error(ErrorCategory::Device, "CUDA was requested but no GPU is visible (check the driver and "
                                           "CUDA_VISIBLE_DEVICES); use --device cpu");
#else
        throw Error(ErrorCategory::Device, "CUDA was requested but this build of MoEScope uses a CPU-only "
                                           "libtorch; rebuild against a CUDA libtorch or use --device cpu");
#endif
      }
      return "cuda";
  }
  return "cpu";
}

ComputeDType defaultComputeDType(const std::string& resolved_device) {
  return resolved_device == "cuda" ? ComputeDType::BFloat16 : ComputeDType::Float32;
}

}  // namespace moescope::torch_support
