#pragma once
// Private: rows placed at given row indices of a larger tensor, the inverse of index_select.
// ATen's index_copy_ does it element by element on a CPU (measured: 8 % of the CPU time of an
// all-experts pass on OLMoE's shapes, each expert's outputs placed among its layer's tokens).
#include <ATen/ATen.h>

namespace moescope::torch_support {

// target[index[i]] = rows[i] for every i: target [N, C], index [n] int64, rows [n, C] of
// target's dtype. On a CPU with rows of contiguous entries, one memory copy per row; otherwise
// index_copy_. Error(Internal) for an index outside [0, N) or mismatched shapes.
void copyRowsInto(at::Tensor& target, const at::Tensor& index, const at::Tensor& rows);

}  // namespace moescope::torch_support
