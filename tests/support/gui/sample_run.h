#pragma once
// The GUI suites' shared fixtures: one small run (two MoE layers, decoder 3 and 5, four
// experts, top-2, three tokens) whose numbers the tests work out by hand, and short ways to
// wrap parts of a run into the RunData bundle every view takes.
#include "widgets/run_data.h"

namespace moescope::test {

// Layer 3 (index 0): token 0 -> E2 .7, E0 .3; token 1 -> E1 .6, E3 .4; token 2 -> E3 .9, E2 .1,
// with output norms. Layer 5 (index 1): token 0 -> E1 .55, E2 .45; token 1 -> E0 .8, E1 .2;
// token 2 -> E2 .65, E1 .35, without output norms. The second token's text needs CSV quoting.
widgets::RoutingData sampleRouting();

// Layers 3 and 5, with the up-projection weight similarity over two experts and the shared
// expert "F": layer 3 has one negative entry, layer 5 is all positive. Off the diagonal (what
// sets the colour range) layer 3 spans [-0.1, 0.4], layer 5 [0.3, 0.6], both [-0.1, 0.6].
// Both layers carry the same load, co-activation and rank counts over the four experts.
QVector<widgets::LayerAnalyses> sampleAnalyses();

// An n x n similarity over experts "0".."n-1": 1 on the diagonal, and the pairs e > f in the
// order (1,0), (2,0), (2,1), (3,0), ... taken from lower, mirrored above the diagonal.
widgets::SimilarityMatrix symmetricMatrix(int n, const QVector<float>& lower);

widgets::RunData withRouting(const widgets::RoutingData& routing);
widgets::RunData withAnalyses(const QVector<widgets::LayerAnalyses>& analyses, const widgets::RoutingSummary& summary = {});
widgets::RunData withCurves(const widgets::DiversityCurves& curves);
widgets::RunData withPca(const QVector<widgets::LayerPca>& pca);

}  // namespace moescope::test
