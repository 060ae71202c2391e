#include "widgets/comparison_data.h"

#include <cmath>
#include <limits>

namespace moescope::widgets {

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
}

QVector<int> ExpertCorrespondence::movedExperts() const {
  QVector<int> moved;
  for (int e = 0; e < match.size(); ++e)
    if (match[e] != e) moved.append(e);
  return moved;
}

float ModelDifference::agreementAt(int row, AgreementMeasure measure) const {
  if (row < 0 || row >= rowCount()) return kNaN;
  return agreement.value(qsizetype(row) * kAgreementMeasures + int(measure), kNaN);
}

bool ModelDifference::differs(int row, int token) const {
  if (row < 0 || row >= rowCount() || token < 0 || token >= tokens) return false;
  return differing.value(qsizetype(row) * tokens + token) != 0;
}

float ModelDifference::outputCosine(int row, int token) const {
  if (row < 0 || row >= rowCount() || token < 0 || token >= tokens) return kNaN;
  return output_cosine.value(qsizetype(row) * tokens + token, kNaN);
}

float ModelDifference::outputNormRatio(int row, int token) const {
  if (row < 0 || row >= rowCount() || token < 0 || token >= tokens) return kNaN;
  return output_norm_ratio.value(qsizetype(row) * tokens + token, kNaN);
}

double ModelDifference::meanAgreement(AgreementMeasure measure) const {
  double sum = 0.0;
  int count = 0;
  for (int row = 0; row < rowCount(); ++row) {
    const float value = agreementAt(row, measure);
    if (std::isnan(value)) continue;
    sum += value;
    ++count;
  }
  return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

QString ComparisonData::modelName(int difference) const {
  const ModelDifference* d = this->difference(difference);
  return d ? models.value(d->model) : QString();
}

const LayerRoutingData* ComparisonData::layerRouting(int model, int decoder_layer) const {
  if (model < 0 || model >= routing.size()) return nullptr;
  for (const LayerRoutingData& layer : routing[model].layers)
    if (layer.layer == decoder_layer && layer.isConsistent()) return &layer;
  return nullptr;
}

bool ComparisonData::choicesDiffer(int model, int decoder_layer, int token) const {
  if (model == reference) return false;
  for (const ModelDifference& d : differences) {
    if (d.model != model || d.differing.isEmpty()) continue;
    const int row = d.rowOf(decoder_layer);
    if (row >= 0) return d.differs(row, token);
  }
  const LayerRoutingData* ours = layerRouting(model, decoder_layer);
  const LayerRoutingData* theirs = layerRouting(reference, decoder_layer);
  return ours && theirs && topkOverlap(*theirs, *ours, token) < 1.0;
}

double topkOverlap(const LayerRoutingData& a, const LayerRoutingData& b, int token) {
  if (a.top_k <= 0 || a.top_k != b.top_k || token < 0 || token >= a.tokenCount() || token >= b.tokenCount())
    return std::numeric_limits<double>::quiet_NaN();
  int shared = 0;
  for (int r = 0; r < a.top_k; ++r)
    if (b.isChosen(token, a.chosenExpert(token, r))) ++shared;
  return double(shared) / a.top_k;
}

}  // namespace moescope::widgets
