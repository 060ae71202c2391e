#include "widgets/view_explanations.h"

#include <QCoreApplication>

namespace moescope::widgets::explain {

namespace {

struct Explanations {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::Explanations)
};

QString diversityFinding() {
  return Explanations::tr(
      "Averaged over all pairs of different experts, these similarities give the diversity "
      "curves. Lo et al. (2024) found that experts grow more diverse with depth, except in the "
      "last layer(s), whose experts are more alike again.");
}

QString neuronsFinding() {
  return Explanations::tr(
      "Lo et al. (2024) found that the gate-embedding similarity follows the similarity of "
      "the experts' gate-projection neurons (neuron-mean, gate) closely — a high R² — and the "
      "up and down projections much less: neurons act like fine-grained experts.");
}

QString normsFinding() {
  return Explanations::tr(
      "Lo et al. (2024) found that the router tends to choose the experts whose outputs have "
      "the largest norms: the top-scored expert is the largest-norm expert far more often than "
      "chance (1 in E).");
}

QString similarityReading() {
  return Explanations::tr(
      "Row and column are experts of the selected layer (\"F\": the dense reference model's "
      "feed-forward block, when the run had one). The diagonal compares an expert with itself. "
      "Brighter = more alike; a blue-white-red map is used when values go negative. Hover a cell "
      "for its value, click it to select the pair. \"Same range for all layers\" makes colours "
      "comparable across layers.");
}

}  // namespace

QString compose(const QString& plotted, const QString& reading, const QString& found) {
  return QStringLiteral("<p><b>%1</b> %2</p><p><b>%3</b> %4</p><p><b>%5</b> %6</p>")
      .arg(Explanations::tr("What is plotted."), plotted, Explanations::tr("How to read it."), reading,
           Explanations::tr("What the paper found."), found);
}

QString tokenStrip() {
  return compose(
      Explanations::tr("The prompt's tokens as the model's tokenizer cut them, each chip coloured by the expert the "
                       "router chose first (top-1) for it at the selected layer. The legend names the colours."),
      Explanations::tr("Click a chip, or use Left/Right (Alt+Left/Right anywhere), to select a token: every other "
                       "view follows. Runs of one colour are tokens sent to the same expert; \"▁\" marks a "
                       "leading space."),
      Explanations::tr("Lo et al. (2024) read the routing of prompts such as \"As an open source alternative to\" "
                       "token by token; every other analysis of a text starts from this routing record."));
}

QString layerNavigator() {
  return compose(
      Explanations::tr("The MoE layer every view shows, by its decoder layer number (models with dense "
                       "first layers skip some numbers)."),
      Explanations::tr("Drag the slider or type a layer; Page Up and Page Down (or Ctrl+Up and Ctrl+Down) step "
                       "through the layers from anywhere in the window."),
      Explanations::tr("Lo et al. (2024) found that expert behaviour changes with depth: experts grow more "
                       "diverse in deeper layers, and the last layer is an outlier."));
}

QString layerOverview() {
  return compose(Explanations::tr("Every MoE layer (row) against every routed expert (column): the expert's load at "
                                  "that layer, the share of the routing slots (tokens × top-k) sent to it, as Routing "
                                  "Statistics shows it per layer. Hatched rows have no load, or not yet."),
                 Explanations::tr("Bright cells are busy experts; a balanced router gives every cell 1/E. The "
                                  "selected layer and expert are outlined in red. Click a cell to go to its layer and "
                                  "select its expert."),
                 Explanations::tr("Lo et al. (2024) found that routing and expert diversity change with depth; this "
                                  "overview shows at a glance where the load concentrates."));
}

QString tokenInspector() {
  return compose(Explanations::tr("For the selected token: at every layer, the experts it chose, best first, with "
                                  "the mixing weights the model multiplies their outputs by. Below, for the selected "
                                  "layer, the router's gate score of every expert beside the norm of its output."),
                 Explanations::tr("Click a row to go to that layer, an expert cell to select that expert. Chosen "
                                  "experts are coloured, the others grey; the line under the chart says whether the "
                                  "top-scored expert is also the largest-norm one."),
                 normsFinding());
}

QString gateScores() {
  return compose(Explanations::tr("For one token at one layer: the router's gate score of every expert (solid bars, "
                                  "left axis) and, when the run computed all experts' outputs, the L2 norm of each "
                                  "expert's output (hatched bars, right axis)."),
                 Explanations::tr("Chosen experts are in their colour, the others grey. Compare the two bars of an "
                                  "expert: if the tallest score bar stands beside the tallest norm bar, the router "
                                  "picked the expert that contributes most. Hover a bar for both ranks."),
                 normsFinding());
}

QString routingHeatmap() {
  return compose(Explanations::tr("Experts (rows) against the prompt's tokens (columns) at the selected layer: the "
                                  "mixing weight the model gave each expert's output for each token, 0 where the "
                                  "expert was not chosen (the paper's D1)."),
                 Explanations::tr("Each column has top-k bright cells, summing to 1 for Mixtral's renormalised "
                                  "weights. Rows that light up often are busy experts. Hover a cell for the weight and "
                                  "gate score; click it to select the token and the expert."),
                 Explanations::tr("Lo et al. (2024) used this view to compare the experts that a base model and its "
                                  "instruction-tuned version choose for the same text."));
}

QString similarity(const QString& measure) {
  const QString base = measure.section(QLatin1Char('/'), 0, 0);
  const QString projection = measure.section(QLatin1Char('/'), 1);
  if (base == QLatin1String("weights_similarity")) {
    return compose(Explanations::tr("The cosine similarity of two experts' whole %1-projection weight matrices, "
                                    "flattened (the paper's S1, matrix level).")
                       .arg(projection),
                   similarityReading(), diversityFinding());
  }
  if (base == QLatin1String("neuron_mean_similarity")) {
    return compose(Explanations::tr("Each expert reduced to its mean neuron (the mean of the rows of its "
                                    "%1-projection), then the cosine similarity of those means (S2, neuron level).")
                       .arg(projection),
                   similarityReading(), neuronsFinding());
  }
  if (base == QLatin1String("neuron_reorder_similarity")) {
    return compose(Explanations::tr("The cosine similarity of two experts' %1-projection matrices after the neurons "
                                    "of one are re-ordered to best match the other's (an exact linear assignment; S3).")
                       .arg(projection),
                   similarityReading(),
                   Explanations::tr("Neurons need not be in the same order in two experts; re-ordering shows how much "
                                    "of their dissimilarity is only a permutation. The paper ran it on a few layers, "
                                    "as it is expensive."));
  }
  if (base == QLatin1String("neuron_reorder_kendall_tau")) {
    return compose(Explanations::tr("Kendall's tau between the neuron order that best aligns two experts' "
                                    "%1-projections and the identity order (S3).")
                       .arg(projection),
                   Explanations::tr("1: the neurons are already aligned, as when experts were copied from one dense "
                                    "layer; near 0: the best alignment is unrelated to the stored order. Hover a cell "
                                    "for its value."),
                   Explanations::tr("Where experts started from copies of one feed-forward block, their neurons keep "
                                    "their order and tau stays high."));
  }
  if (base == QLatin1String("gate_embedding_similarity")) {
    return compose(Explanations::tr("The cosine similarity of the router's rows: row e of the router matrix is the "
                                    "\"gate embedding\" of expert e (S4)."),
                   similarityReading(), neuronsFinding());
  }
  if (base == QLatin1String("output_angular_similarity_mean")) {
    return compose(Explanations::tr("Every expert run on the same tokens (chosen or not); for each token the cosine "
                                    "of two experts' outputs, turned into an angular similarity 1 − arccos(cos)/π and "
                                    "averaged over all tokens of all texts (D2)."),
                   similarityReading(), diversityFinding());
  }
  return compose(Explanations::tr("Each cell compares two experts of the selected layer by the chosen measure: the "
                                  "similarity of their weights, of their neurons, of their gate embeddings or of "
                                  "their outputs on the same tokens."),
                 similarityReading(), diversityFinding());
}

QString diversityCurves() {
  return compose(Explanations::tr("For every measure, the mean similarity over all pairs of different experts of "
                                  "each MoE layer (D5): one line per measure over the layers."),
                 Explanations::tr("Lower means more diverse experts. The dashed line marks the selected layer; click "
                                  "a point to go to its layer, hover it for the value."),
                 Explanations::tr("Lo et al. (2024) found that the curves fall with depth — experts grow more diverse "
                                  "— with an upturn in the last layer(s), an outlier where experts are more alike."));
}

QString gateFit() {
  return compose(Explanations::tr("For each projection (up, gate, down) and each MoE layer, R² of the least-squares "
                                  "line through the pairs of different experts: the similarity of their router rows "
                                  "(gate embedding) against the similarity of their mean neurons (S4). Over the plot, "
                                  "R² averaged over the layers, the paper's table."),
                 Explanations::tr("R² near 1: experts the router treats alike have alike weights; near 0: no linear "
                                  "link. Click a point to go to its layer; Export Data writes the table as CSV or a "
                                  "LaTeX tabular."),
                 Explanations::tr("Lo et al. (2024) found the link strongest for the gate projection (mean R² 0.33 "
                                  "for Mixtral, 0.40 for DeepSeek, 0.15 for Grok) and close to 0 for up and down."));
}

QString routingStatistics() {
  return compose(Explanations::tr("Left: the share of the routing slots (tokens × top-k) each expert received at the "
                                  "selected layer, with the balanced level 1/E dashed, and the load's entropy and "
                                  "coefficient of variation. Right: the co-activation matrix, P(f chosen | e chosen)."),
                 Explanations::tr("Bars near the dashed line mean a balanced router; the normalised entropy is 1 when "
                                  "balanced and falls towards 0 as a few experts take everything; the coefficient of "
                                  "variation is 0 when balanced. Bright co-activation cells are experts that tend to "
                                  "work together. Click a bar to select its expert."),
                 Explanations::tr("Beyond the paper: load balance and co-activation follow the routing analyses of "
                                  "OLMoE and common practice in training MoE models."));
}

QString rankCounts() {
  return compose(Explanations::tr("Each token ranks the experts twice: by the router's gate score and by the norm of "
                                  "the expert's output (rank 1 = smallest, E = largest). The cell in row r, column c "
                                  "counts the tokens for which the expert with score rank r had norm rank c (D3)."),
                 Explanations::tr("If the router chose the experts that contribute most, the counts would sit on the "
                                  "diagonal and the bottom-right cell would hold every token. The top-1 agreement is "
                                  "the share of tokens whose top-scored expert also has the largest output norm. "
                                  "\"All layers\" sums the counts over every layer."),
                 normsFinding());
}

QString pca(bool neuron_level) {
  if (neuron_level) {
    return compose(
        Explanations::tr("Every neuron of every expert (rows of the gate or up projection, columns of the "
                         "down projection) as one point, standardised per feature and projected to its "
                         "first principal components (S5, neuron level), coloured by expert."),
        Explanations::tr("Separate clouds mean experts with distinct neurons; overlapping clouds mean "
                         "experts made of similar neurons. Hover a point for its expert and neuron."),
        Explanations::tr("Lo et al. (2024) projected the neurons of Mixtral's experts together with those of "
                         "the dense Mistral 7B (\"F\") to see how the experts relate to a dense layer."));
  }
  return compose(Explanations::tr("Each expert's whole weight matrix as one point, standardised per feature and "
                                  "projected to its first two principal components (S5, matrix level); \"F\" is the "
                                  "dense reference."),
                 Explanations::tr("Experts close together have similar weights; an expert far from the others is "
                                  "distinct. Axes are the principal components: only distances matter, not the "
                                  "direction."),
                 Explanations::tr("Lo et al. (2024) used these projections next to the similarity matrices: they show "
                                  "the same relations between experts in one picture."));
}

QString activations() {
  return compose(Explanations::tr("For the selected token at the selected layer: the intermediate activation "
                                  "act(W_gate x) of every neuron (columns) of every expert (rows), with the chosen "
                                  "experts marked (D4)."),
                 Explanations::tr("Bright cells are neurons that fire strongly for this token. Compare the chosen "
                                  "experts' rows with the rest: a few strong neurons carry most of an expert's "
                                  "output."),
                 Explanations::tr("Lo et al. (2024) looked at these intermediate states to study neurons as "
                                  "fine-grained experts: the activation pattern shows which neurons of which expert "
                                  "a token uses."));
}

QString outputSimilarityGrid() {
  return compose(
      Explanations::tr("For each chosen layer (a row) and token (a column), the cosine similarity between the "
                       "outputs of every pair of experts run on that token (D2), with \"F\", the dense reference "
                       "model's feed-forward block, when the run had one. Each panel is titled with the experts "
                       "the router chose for the token (\"exp 1,6\"); all panels share one colour scale."),
      Explanations::tr("Bright panels: the experts answer the token alike; dark or blue cells: experts whose "
                       "outputs point apart. Compare rows to see how the same token's outputs diverge with depth. "
                       "Type the layers and tokens to show, or leave them empty to follow the selection (the "
                       "first, middle and last layers; the selected token and its neighbours). Hover a cell for "
                       "its value; click a panel to select its layer and token."),
      Explanations::tr("Lo et al. (2024) drew these panels for Mixtral's layers 6, 27 and 31: the experts' "
                       "outputs are dissimilar in most layers but strikingly alike in the last one, where F also "
                       "stands apart from them."));
}

QString agreementMap() {
  return compose(Explanations::tr("Two models run on the same tokens: every MoE layer (row) against every token "
                                  "(column). The measure chosen above the map: the share of the token's top-k experts "
                                  "that both models chose (|A ∩ B| / k, 1 = the same experts), or the cosine between "
                                  "the two models' MoE block outputs, or the ratio of their norms."),
                 Explanations::tr("Dark cells are where the compared model routes, or computes, differently from the "
                                  "reference. A column dark from some layer down is a token whose path changed there "
                                  "and stayed changed; a row dark everywhere is a layer whose router changed. Click a "
                                  "cell to select its layer and token in every view."),
                 Explanations::tr("Lo et al. (2024) compared Mixtral base with Mixtral instruct and found the "
                                  "experts barely changed by instruction tuning; this map shows where routing did "
                                  "change, token by token."));
}

QString routingSaturation() {
  return compose(Explanations::tr("Per MoE layer, how far each compared model routes as the reference does, over the "
                                  "text's tokens: top-1 agreement (the same first expert), top-k overlap (mean |A ∩ B| "
                                  "/ k), Jaccard (|A ∩ B| / |A ∪ B|) or Kendall's tau of the two routers' scores. With "
                                  "three models or more, Over models puts the models on the horizontal axis instead: "
                                  "the mean over layers, and the selected layer."),
                 Explanations::tr("1 is identical routing. A curve that falls with depth shows differences that grow "
                                  "layer by layer. Click a point to go to its layer."),
                 Explanations::tr("Muennighoff et al. (2024, OLMoE) call the top-k overlap with the final checkpoint "
                                  "router saturation: compare a run's checkpoints with the last one as reference to "
                                  "see how early each layer's routing settles."));
}

QString crossSimilarity() {
  return compose(Explanations::tr("At the selected layer, every expert of the compared model (rows) against every "
                                  "expert of the reference (columns): the cosine of their weight matrices (matrix "
                                  "level), of their mean neurons, or of their rows of the router. Outlined cells are "
                                  "the one-to-one matching of the experts that maximises the mean cosine over the gate, "
                                  "up and down projections."),
                 Explanations::tr("A fine-tuned or quantised copy keeps its experts: the matching runs down the "
                                  "diagonal, bright. An outline off the diagonal (in orange) is an expert that now "
                                  "resembles another expert of the reference most. Click a cell to select the "
                                  "reference's expert of its column in every view."),
                 Explanations::tr("Lo et al. (2024) found Mixtral's experts nearly unchanged by instruction tuning "
                                  "(matrix-level cosine near 1 between base and instruct); the diagonal here shows "
                                  "it for any pair of models."));
}

QString modelsSideBySide() {
  return compose(Explanations::tr("For the selected token, at every layer: the experts each model chose, best first, "
                                  "with the router's score of each and, where the run computed them, the norms of "
                                  "their outputs."),
                 Explanations::tr("Rows where the models chose different experts are tinted. Click a row to go to "
                                  "its layer."),
                 Explanations::tr("The paper's comparison of base and instruct models, one token at a time."));
}

}  // namespace moescope::widgets::explain
