#include "tests/support/naive_math.h"

#include <algorithm>
#include <cmath>

namespace moescope::test::naive {

Vec matVec(const std::vector<float>& W, const Vec& x, int64_t out) { return matVec(W, nullptr, x, out); }

Vec matVec(const std::vector<float>& W, const std::vector<float>* bias, const Vec& x, int64_t out) {
  const int64_t in = static_cast<int64_t>(x.size());
  Vec y(static_cast<std::size_t>(out), 0.0);
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t i = 0; i < in; ++i) y[o] += static_cast<double>(W[o * in + i]) * x[i];
    if (bias) y[o] += (*bias)[o];
  }
  return y;
}

Vec rmsNorm(const Vec& x, const std::vector<float>& w, double eps, std::size_t width) {
  if (width == 0) width = x.size();
  Vec y(x.size());
  for (std::size_t start = 0; start < x.size(); start += width) {
    double mean_square = 0;
    for (std::size_t i = 0; i < width; ++i) mean_square += x[start + i] * x[start + i];
    mean_square /= static_cast<double>(width);
    for (std::size_t i = 0; i < width; ++i) y[start + i] = x[start + i] / std::sqrt(mean_square + eps) * w[i];
  }
  return y;
}

Vec layerNorm(const Vec& x, const std::vector<float>& w, const std::vector<float>& b, double eps) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double variance = 0;
  for (double v : x) variance += (v - mean) * (v - mean);
  variance /= static_cast<double>(x.size());
  Vec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) / std::sqrt(variance + eps) * w[i] + b[i];
  return y;
}

double silu(double v) { return v / (1.0 + std::exp(-v)); }

double geluExact(double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); }

void rope(Vec& v, int64_t heads, int64_t d, int64_t pos, double theta) { rope(v, heads, d, d, pos, theta); }

void rope(Vec& v, int64_t heads, int64_t d, int64_t rotary, int64_t pos, double theta) {
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t i = 0; i < rotary / 2; ++i) {
      const double angle = static_cast<double>(pos) * std::pow(theta, -2.0 * static_cast<double>(i) / rotary);
      double& a = v[h * d + i];
      double& b = v[h * d + i + rotary / 2];
      const double ra = a * std::cos(angle) - b * std::sin(angle);
      const double rb = b * std::cos(angle) + a * std::sin(angle);
      a = ra;
      b = rb;
    }
}

void rope(Vec& v, int64_t heads, int64_t d, const Vec& freq, int64_t pos, double amplitude) {
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t i = 0; i < d / 2; ++i) {
      const double angle = static_cast<double>(pos) * freq[static_cast<std::size_t>(i)];
      const double c = amplitude * std::cos(angle), s = amplitude * std::sin(angle);
      double& a = v[h * d + i];
      double& b = v[h * d + i + d / 2];
      const double ra = a * c - b * s, rb = b * c + a * s;
      a = ra;
      b = rb;
    }
}

void ropePairs(Vec& v, int64_t heads, int64_t d, const Vec& freq, int64_t pos) {
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t i = 0; i < d / 2; ++i) {
      const double angle = static_cast<double>(pos) * freq[static_cast<std::size_t>(i)];
      double& a = v[h * d + 2 * i];
      double& b = v[h * d + 2 * i + 1];
      const double ra = a * std::cos(angle) - b * std::sin(angle), rb = b * std::cos(angle) + a * std::sin(angle);
      a = ra;
      b = rb;
    }
}

Vec llama3Frequencies(double theta, int64_t d, double factor, double low_freq_factor, double high_freq_factor,
                      double original) {
  const double pi = 3.14159265358979323846;
  Vec freq(static_cast<std::size_t>(d / 2));
  for (int64_t i = 0; i < d / 2; ++i) {
    const double f = std::pow(theta, -2.0 * static_cast<double>(i) / static_cast<double>(d));
    const double wavelength = 2 * pi / f;
    if (wavelength < original / high_freq_factor) {
      freq[i] = f;
    } else if (wavelength > original / low_freq_factor) {
      freq[i] = f / factor;
    } else {
      const double smooth = (original / wavelength - low_freq_factor) / (high_freq_factor - low_freq_factor);
      freq[i] = (1 - smooth) * f / factor + smooth * f;
    }
  }
  return freq;
}

Vec softmax(const Vec& x) {
  const double top = *std::max_element(x.begin(), x.end());
  Vec p(x.size());
  double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) total += (p[i] = std::isinf(x[i]) && x[i] < 0 ? 0.0 : std::exp(x[i] - top));
  for (double& v : p) v /= total;
  return p;
}

}  // namespace moescope::test::naive
