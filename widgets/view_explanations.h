#pragma once
// "What am I looking at?" for every view, in one place so the texts read alike: what is
// plotted, how to read it, and what Lo et al. (2024), "A Closer Look into Mixture-of-Experts in
// Large Language Models", found with it (or, for views beyond the paper, where they come from).
// Rich text for the What's This bubble.
#include <QString>

namespace moescope::widgets::explain {

// The three paragraphs under their headings.
QString compose(const QString& plotted, const QString& reading, const QString& found);

QString tokenStrip();
QString layerNavigator();
// The layers x experts routing overview next to the layer slider.
QString layerOverview();
QString tokenInspector();
QString gateScores();
QString routingHeatmap();
// A similarity measure by its key ("weights_similarity/up", "gate_embedding_similarity", ...);
// an unknown or empty key gives the text for the view in general.
QString similarity(const QString& measure);
QString diversityCurves();
QString gateFit();
QString routingStatistics();
QString rankCounts();
// S5: each expert as one point (matrix level) or every neuron as one point (neuron level).
QString pca(bool neuron_level);
// D4: the intermediate activations of every expert for the selected token.
QString activations();
// D2 per token: small multiples of the experts' output cosines, layers x tokens.
QString outputSimilarityGrid();

// A comparison of models (C1-C4): the layers x tokens agreement map, the router-saturation
// curves, the cross-model expert similarity with its matching, the models side by side.
QString agreementMap();
QString routingSaturation();
QString crossSimilarity();
QString modelsSideBySide();

}  // namespace moescope::widgets::explain
