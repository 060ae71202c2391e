#include "tests/support/gui/sample_run.h"

namespace moescope::test {

namespace {

widgets::SimilarityMatrix matrix3(const QVector<float>& values) {
  widgets::SimilarityMatrix m;
  m.title = QStringLiteral("Weights similarity (up)");
  m.labels = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("F")};
  m.size = 3;
  m.values = values;
  return m;
}

}  // namespace

widgets::RoutingData sampleRouting() {
  widgets::RoutingData data;
  data.tokens = {QStringLiteral("▁As"), QStringLiteral("say \"hi\", ok"), QStringLiteral("▁source")};
  data.token_ids = {10, 20, 30};
  data.experts = 4;
  data.top_k = 2;
  widgets::LayerRoutingData a;
  a.layer = 3;
  a.experts = 4;
  a.top_k = 2;
  a.topk_ids = {2, 0, 1, 3, 3, 2};
  a.topk_weights = {0.7f, 0.3f, 0.6f, 0.4f, 0.9f, 0.1f};
  a.gate_scores = {0.25f, 0.1f, 0.5f, 0.15f,  //
                   0.05f, 0.5f, 0.1f, 0.35f,  //
                   0.0f, 0.05f, 0.1f, 0.85f};
  a.output_norms = {1.5f, 2.0f, 4.0f, 0.5f,  //
                    3.0f, 1.0f, 2.0f, 2.5f,  //
                    0.25f, 0.75f, 1.25f, 5.0f};
  widgets::LayerRoutingData b;
  b.layer = 5;
  b.experts = 4;
  b.top_k = 2;
  b.topk_ids = {1, 2, 0, 1, 2, 1};
  b.topk_weights = {0.55f, 0.45f, 0.8f, 0.2f, 0.65f, 0.35f};
  b.gate_scores = {0.1f, 0.45f, 0.4f, 0.05f,  //
                   0.6f, 0.2f, 0.1f, 0.1f,    //
                   0.05f, 0.3f, 0.55f, 0.1f};
  data.layers = {a, b};
  return data;
}

QVector<widgets::LayerAnalyses> sampleAnalyses() {
  widgets::LayerAnalyses a;
  a.layer = 3;
  a.matrices.insert(QStringLiteral("weights_similarity/up"), matrix3({1.0f, 0.2f, -0.1f,  //
                                                                      0.2f, 1.0f, 0.4f,   //
                                                                      -0.1f, 0.4f, 1.0f}));
  a.load = {0.5f, 0.125f, 0.25f, 0.125f};
  a.load_entropy = 1.2130075659799042;
  a.load_normalised_entropy = 0.875;
  a.load_coefficient_of_variation = 0.5773502691896257;
  a.coactivation = {1.0f, 0.25f, 0.5f, 0.25f, 0.5f, 1.0f, 0.0f, 0.5f, 0.75f, 0.0f, 1.0f, 0.25f, 0.5f, 0.5f, 0.5f, 1.0f};
  a.rank_counts = {1, 0, 0, 2, 0, 3, 0, 0, 0, 0, 3, 0, 2, 0, 0, 1};
  widgets::LayerAnalyses b = a;
  b.layer = 5;
  b.matrices.insert(QStringLiteral("weights_similarity/up"), matrix3({1.0f, 0.6f, 0.3f,  //
                                                                      0.6f, 1.0f, 0.5f,  //
                                                                      0.3f, 0.5f, 1.0f}));
  return {a, b};
}

widgets::RunData withRouting(const widgets::RoutingData& routing) {
  widgets::RunData data;
  data.routing = routing;
  return data;
}

widgets::RunData withAnalyses(const QVector<widgets::LayerAnalyses>& analyses, const widgets::RoutingSummary& summary) {
  widgets::RunData data;
  data.analyses = analyses;
  data.diversity.routing = summary;
  return data;
}

widgets::RunData withCurves(const widgets::DiversityCurves& curves) {
  widgets::RunData data;
  data.diversity = curves;
  return data;
}

widgets::RunData withPca(const QVector<widgets::LayerPca>& pca) {
  widgets::RunData data;
  data.pca = pca;
  return data;
}

widgets::SimilarityMatrix symmetricMatrix(int n, const QVector<float>& lower) {
  widgets::SimilarityMatrix m;
  m.size = n;
  for (int i = 0; i < n; ++i) m.labels << QString::number(i);
  m.values.fill(1.0f, qsizetype(n) * n);
  int next = 0;
  for (int e = 1; e < n; ++e)
    for (int f = 0; f < e; ++f) m.values[e * n + f] = m.values[f * n + e] = lower.value(next++);
  return m;
}

}  // namespace moescope::test
