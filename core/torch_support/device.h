#pragma once
// Where the computation runs and in which precision, decided at run time: the same binary
// uses CUDA when libtorch was built with it and a GPU is present.
#include <optional>
#include <string>
#include <string_view>

namespace moescope::torch_support {

enum class DevicePreference { Auto, Cpu, Cuda };
enum class ComputeDType { Float32, BFloat16, Float16 };

struct DeviceReport {
  bool cuda_built = false;      // libtorch has a CUDA backend
  int cuda_device_count = 0;
  std::string cuda_device_name; // first GPU, when there is one
};

DeviceReport probeDevices();

// "auto" | "cpu" | "cuda"; throws Error(InvalidArgument) otherwise.
DevicePreference parseDevicePreference(std::string_view text);
// "float32" | "bfloat16" | "float16" (also "fp32", "bf16", "fp16"); throws Error(InvalidArgument).
ComputeDType parseComputeDType(std::string_view text);
std::string computeDTypeName(ComputeDType dtype);

// Resolves a preference to "cpu" or "cuda"; throws Error(Device) for cuda without a GPU.
std::string resolveDevice(DevicePreference preference);
// float32 on the CPU (fast and exact there), bfloat16 on a GPU.
ComputeDType defaultComputeDType(const std::string& resolved_device);

}  // namespace moescope::torch_support
