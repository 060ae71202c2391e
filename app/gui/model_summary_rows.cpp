#include "app/gui/model_summary_rows.h"

#include <QCoreApplication>
#include <QLocale>

#include "core/checkpoint/model_folder.h"

namespace moescope::gui {

using widgets::SummaryRows;

namespace {

// The rows' strings are translated in their own context, shared by every caller.
class ModelSummary {
  Q_DECLARE_TR_FUNCTIONS(ModelSummary)
};
QString str(const std::string& text) { return QString::fromStdString(text); }

}  // namespace

QString formatCount(int64_t count) {
  const QLocale locale;
  const double value = double(count);
  if (count >= 1'000'000'000) return ModelSummary::tr("%1 B").arg(locale.toString(value / 1e9, 'f', 2));
  if (count >= 1'000'000) return ModelSummary::tr("%1 M").arg(locale.toString(value / 1e6, 'f', 1));
  return locale.toString(qlonglong(count));
}

QString deviceRowLabel() { return ModelSummary::tr("Device"); }

SummaryRows modelSummaryRows(const checkpoint::Model& model, const QString& tokenizer_description) {
  const checkpoint::ModelSpec& spec = model.spec;
  SummaryRows rows;
  QString family = str(checkpoint::familyDisplayName(spec.family));
  // The architecture class name tells a checkpoint's variant apart ("MixtralForCausalLM");
  // model_type usually repeats the family name and adds nothing.
  if (!spec.architecture.empty()) family += QStringLiteral(" (%1)").arg(str(spec.architecture));
  else if (!spec.model_type.empty() && str(spec.model_type).compare(family, Qt::CaseInsensitive) != 0)
    family += QStringLiteral(" (%1)").arg(str(spec.model_type));
  rows.append({ModelSummary::tr("Family"), family});
  const int64_t moe_layers = spec.moeLayerCount();
  rows.append({ModelSummary::tr("Layers"), ModelSummary::tr("%1 (%2 MoE, %3 dense)")
                                               .arg(spec.num_layers)
                                               .arg(moe_layers)
                                               .arg(spec.num_layers - moe_layers)});
  if (spec.isMoe()) {
    rows.append({ModelSummary::tr("Experts"), QString::number(spec.num_experts)});
    rows.append({ModelSummary::tr("Top-k"), QString::number(spec.top_k)});
    rows.append({ModelSummary::tr("Routing"), str(checkpoint::routingRuleDescription(spec.routing))});
    if (spec.usesExpertGroups())
      rows.append({ModelSummary::tr("Expert groups"),
                   ModelSummary::tr("%1 groups, best %2 kept; weights x %3")
                       .arg(spec.expert_groups.n_group)
                       .arg(spec.expert_groups.topk_group)
                       .arg(QLocale().toString(spec.routed_scaling_factor))});
    rows.append({ModelSummary::tr("Shared experts"), str(checkpoint::sharedExpertDescription(spec.shared_expert))});
  }
  rows.append({ModelSummary::tr("Hidden size"), QString::number(spec.hidden_size)});
  if (spec.isMoe()) rows.append({ModelSummary::tr("Expert intermediate"), QString::number(spec.expert_intermediate_size)});
  rows.append({ModelSummary::tr("Attention heads"), ModelSummary::tr("%1 (%2 key/value)").arg(spec.num_heads).arg(spec.num_kv_heads)});
  rows.append({ModelSummary::tr("Vocabulary"), QLocale().toString(qlonglong(spec.vocab_size))});
  const checkpoint::ParameterCounts counts = checkpoint::countParameters(model);
  rows.append({ModelSummary::tr("Parameters"), formatCount(counts.total)});
  rows.append({ModelSummary::tr("Active per token"), formatCount(counts.active_per_token)});
  // A GGUF model is analysed on its dequantised weights: say which block types they came from.
  rows.append({ModelSummary::tr("Stored as"), model.quantisation.empty()
                                                  ? str(checkpoint::dominantStoredDType(model))
                                                  : ModelSummary::tr("%1 (analysed dequantised)").arg(str(model.quantisation))});
  rows.append({ModelSummary::tr("Tokenizer"), tokenizer_description});
  rows.append({model.format == "gguf" ? ModelSummary::tr("File") : ModelSummary::tr("Folder"),
               QString::fromStdString(model.dir.string())});
  return rows;
}

}  // namespace moescope::gui
