#pragma once
// The summary over layers (/summary: D5 curves, S4 table, D3 totals), written from the
// finished layers' completion records alone: the same for a run, a resumed run and a merge.
#include <map>
#include <string>
#include <vector>

#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/layer_record.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

// `records` in layer order, one per analysed layer; `top_k` of the model.
void writeRunSummary(results::ResultsWriter& writer, const std::vector<LayerRecord>& records, const AnalysisSet& analyses,
                     int top_k);

// D5: one curve per measure over the records' layers, NaN where a layer lacks the measure; keyed
// by the measure's summary path ("/summary/diversity/weights_similarity/up").
std::map<std::string, std::vector<double>> diversityCurves(const std::vector<LayerRecord>& records);
// A summary path's measure name as the views and `summary` show it ("weights_similarity/up").
std::string diversityMeasureName(const std::string& summary_path);

// Whether the chosen analyses give a summary at all.
bool hasRunSummary(const AnalysisSet& analyses);

}  // namespace moescope::pipeline
