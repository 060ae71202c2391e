// Precompiled for every core translation unit: ATen is the bulk of a torch TU's compile time.
#pragma once
#include <ATen/ATen.h>
