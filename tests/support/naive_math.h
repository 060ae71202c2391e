#pragma once
// Plain double-precision building blocks of the reference forward pass (naive_reference):
// loops over std::vector<double>, written from the modeling code's equations.
#include <cstdint>
#include <vector>

namespace moescope::test::naive {

using Vec = std::vector<double>;

// y = W x (+ b) for W stored [out, in] row-major.
Vec matVec(const std::vector<float>& W, const Vec& x, int64_t out);
Vec matVec(const std::vector<float>& W, const std::vector<float>* bias, const Vec& x, int64_t out);

// x / sqrt(mean(x^2) + eps) * w, on `width`-long slices of x one after another (a per-head
// norm when width < x.size()).
Vec rmsNorm(const Vec& x, const std::vector<float>& w, double eps, std::size_t width = 0);
// (x - mean) / sqrt(var + eps) * w + b, var the biased (population) variance.
Vec layerNorm(const Vec& x, const std::vector<float>& w, const std::vector<float>& b, double eps);

double silu(double v);
double geluExact(double v);  // 0.5 v (1 + erf(v / sqrt 2)), torch's nn.GELU()

// Rotate pairs (i, i + d/2) of each head by pos * theta^(-2i/d).
void rope(Vec& v, int64_t heads, int64_t d, int64_t pos, double theta);
// Partial rotary (GLM-4.5): only the first `rotary` elements of each head turn, rotate-half
// within them, frequencies theta^(-2i/rotary); the rest of the head passes unchanged.
void rope(Vec& v, int64_t heads, int64_t d, int64_t rotary, int64_t pos, double theta);

// Rotate-half on whole heads with given frequencies (freq.size() = d / 2), cos and sin both
// multiplied by `amplitude` (yarn's attention factor).
void rope(Vec& v, int64_t heads, int64_t d, const Vec& freq, int64_t pos, double amplitude);

// Rotates neighbouring pairs (2i, 2i + 1) of each head by pos * freq[i] (Llama 4's complex
// multiplication).
void ropePairs(Vec& v, int64_t heads, int64_t d, const Vec& freq, int64_t pos);

// Llama 3's rope scaling of theta^(-2i/d): wavelengths beyond original / low_freq_factor divided
// by factor, below original / high_freq_factor kept, between them blended linearly in
// original / wavelength.
Vec llama3Frequencies(double theta, int64_t d, double factor, double low_freq_factor, double high_freq_factor,
                      double original);

// exp(x - max) / sum; -infinity entries get 0.
Vec softmax(const Vec& x);

}  // namespace moescope::test::naive
