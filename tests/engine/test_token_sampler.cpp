// The next-token sampler against distributions worked out by hand: greedy is the first
// maximum, temperature divides the logits before the softmax, top-p keeps the smallest set of
// most likely tokens reaching the mass, and a seed repeats its draws.
#include <QtTest>

#include <cmath>
#include <vector>

#include "core/engine/token_sampler.h"
#include "core/error.h"

using namespace moescope;
using engine::SamplingOptions;
using engine::TokenSampler;

namespace {

// Share of `draws` draws that picked each of `n` ids.
std::vector<double> frequencies(TokenSampler& sampler, const std::vector<float>& logits, int draws) {
  std::vector<double> counts(logits.size(), 0.0);
  for (int i = 0; i < draws; ++i) counts[static_cast<std::size_t>(sampler.next(logits))] += 1.0 / draws;
  return counts;
}

// Four standard deviations of a share p estimated from `draws` draws.
double tolerance(double p, int draws) { return 4.0 * std::sqrt(p * (1 - p) / draws); }

bool rejected(const SamplingOptions& options, const char* word) {
  try {
    TokenSampler sampler(options);
  } catch (const Error& e) {
    return e.category() == ErrorCategory::InvalidArgument && std::string(e.what()).find(word) != std::string::npos;
  }
  return false;
}

}  // namespace

class TestTokenSampler : public QObject {
  Q_OBJECT

 private slots:
  void greedyTakesTheFirstMaximum() {
    TokenSampler sampler({});
    QCOMPARE(sampler.next(std::vector<float>{1, 3, NAN, 3}), int64_t(1));
    QCOMPARE(sampler.next(std::vector<float>{NAN, -INFINITY, -5}), int64_t(2));
    bool threw = false;
    try {
      sampler.next(std::vector<float>{NAN, -INFINITY});
    } catch (const Error& e) {
      threw = std::string(e.what()).find("NaN") != std::string::npos;
    }
    QVERIFY(threw);
  }

  // softmax({0, ln 4} / 2) = {1, 2} / 3.
  void temperatureDividesTheLogits() {
    const int draws = 30000;
    TokenSampler sampler({2.0, 1.0, 5});
    const auto share = frequencies(sampler, {0.0f, std::log(4.0f)}, draws);
    QVERIFY2(std::abs(share[1] - 2.0 / 3.0) < tolerance(2.0 / 3.0, draws), qPrintable(QString::number(share[1])));
    // An infinite logit holds all the probability.
    TokenSampler hot({5.0, 1.0, 1});
    QCOMPARE(hot.next(std::vector<float>{0, INFINITY, 3}), int64_t(1));
  }

  // Probabilities {0.5, 0.3, 0.2}: top-p 0.6 keeps {0.5, 0.3} (0.5 alone is short of 0.6), so
  // id 0 comes 0.5 / 0.8 of the time and id 2 never; top-p 0.5 keeps id 0 alone.
  void topPKeepsTheNucleus() {
    const int draws = 30000;
    const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
    TokenSampler sampler({1.0, 0.6, 11});
    const auto share = frequencies(sampler, logits, draws);
    QCOMPARE(share[2], 0.0);
    QVERIFY2(std::abs(share[0] - 0.625) < tolerance(0.625, draws), qPrintable(QString::number(share[0])));
    TokenSampler narrow({1.0, 0.5, 11});
    QCOMPARE(frequencies(narrow, logits, 2000)[0], 1.0);
    TokenSampler all({1.0, 1.0, 11});
    const auto full = frequencies(all, logits, draws);
    QVERIFY(std::abs(full[2] - 0.2) < tolerance(0.2, draws));
  }

  void seedRepeatsItsDraws() {
    const std::vector<float> logits = {0, 0.5f, 1, 1.5f, 2, 0.25f};
    TokenSampler a({1.5, 0.95, 42}), b({1.5, 0.95, 42}), c({1.5, 0.95, 43});
    std::vector<int64_t> from_a, from_b, from_c;
    for (int i = 0; i < 200; ++i) {
      from_a.push_back(a.next(logits));
      from_b.push_back(b.next(logits));
      from_c.push_back(c.next(logits));
    }
    QCOMPARE(from_b, from_a);
    QVERIFY(from_c != from_a);
  }

  void rejectsBadOptions() {
    QVERIFY(rejected({-0.1, 1.0, 0}, "temperature"));
    QVERIFY(rejected({INFINITY, 1.0, 0}, "temperature"));
    QVERIFY(rejected({NAN, 1.0, 0}, "temperature"));
    QVERIFY(rejected({1.0, 0.0, 0}, "top-p"));
    QVERIFY(rejected({1.0, 1.01, 0}, "top-p"));
    QVERIFY(rejected({1.0, NAN, 0}, "top-p"));
  }
};

QTEST_GUILESS_MAIN(TestTokenSampler)
#include "test_token_sampler.moc"
