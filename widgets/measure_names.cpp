#include "widgets/measure_names.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include "widgets/analysis_data.h"

namespace moescope::widgets {

namespace {

struct MeasureNames {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::MeasureNames)
};

}  // namespace

QString measureName(const QString& key) {
  const QString base = key.section(QLatin1Char('/'), 0, 0);
  const QString projection = key.section(QLatin1Char('/'), 1);
  // The projections keep their names: up, gate and down are the matrices' names in the model.
  if (base == QLatin1String("weights_similarity")) return MeasureNames::tr("Weight similarity (%1)").arg(projection);
  if (base == QLatin1String("neuron_mean_similarity")) return MeasureNames::tr("Neuron-mean similarity (%1)").arg(projection);
  if (base == QLatin1String("neuron_reorder_similarity"))
    return MeasureNames::tr("Re-ordered neuron similarity (%1)").arg(projection);
  if (base == QLatin1String("neuron_reorder_kendall_tau"))
    return MeasureNames::tr("Kendall's tau of the neuron order (%1)").arg(projection);
  if (key == QLatin1String("gate_embedding_similarity")) return MeasureNames::tr("Gate-embedding similarity");
  if (key == QLatin1String("output_angular_similarity_mean")) return MeasureNames::tr("Expert-output similarity (mean)");
  return measureTitle(key);
}

QString measureShortName(const QString& key) {
  const QString base = key.section(QLatin1Char('/'), 0, 0);
  const QString projection = key.section(QLatin1Char('/'), 1);
  if (base == QLatin1String("weights_similarity")) return MeasureNames::tr("Weights (%1)").arg(projection);
  if (base == QLatin1String("neuron_mean_similarity")) return MeasureNames::tr("Neuron mean (%1)").arg(projection);
  if (base == QLatin1String("neuron_reorder_similarity")) return MeasureNames::tr("Re-ordered (%1)").arg(projection);
  if (base == QLatin1String("neuron_reorder_kendall_tau")) return MeasureNames::tr("Kendall's tau (%1)").arg(projection);
  if (key == QLatin1String("gate_embedding_similarity")) return MeasureNames::tr("Gate embedding");
  if (key == QLatin1String("output_angular_similarity_mean")) return MeasureNames::tr("Expert outputs");
  return measureName(key);
}

int measureStyleIndex(const QString& key) {
  static const QStringList kKnown = {
      QStringLiteral("weights_similarity/up"),          QStringLiteral("weights_similarity/gate"),
      QStringLiteral("weights_similarity/down"),        QStringLiteral("neuron_mean_similarity/up"),
      QStringLiteral("neuron_mean_similarity/gate"),    QStringLiteral("neuron_mean_similarity/down"),
      QStringLiteral("neuron_reorder_similarity/up"),   QStringLiteral("neuron_reorder_similarity/gate"),
      QStringLiteral("neuron_reorder_similarity/down"), QStringLiteral("neuron_reorder_kendall_tau/up"),
      QStringLiteral("neuron_reorder_kendall_tau/gate"), QStringLiteral("neuron_reorder_kendall_tau/down"),
      QStringLiteral("gate_embedding_similarity"),      QStringLiteral("output_angular_similarity_mean"),
  };
  const qsizetype known = kKnown.indexOf(key);
  if (known >= 0) return int(known);
  // qHash with an explicit seed is the same on every run.
  return int(kKnown.size() + qHash(key, size_t(0)) % 16);
}

}  // namespace moescope::widgets
