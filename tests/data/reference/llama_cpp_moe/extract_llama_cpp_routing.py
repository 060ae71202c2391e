# Reads llama-eval-callback's printout (llama-eval-callback -m FILE -p "Hi" -n 1 -t 2 -ctk f32
# -ctv f32 -fa off > LOG) and writes, per MoE layer, the rows llama.cpp computed: router logits
# (with the router's bias where it has one: the node that adds ffn_gate_inp.bias to
# ffn_moe_logits-L, which gpt-oss's graph names ffn_moe_probs-L), the chosen experts
# (ffn_moe_topk-L) and their final weights (the last of ffn_moe_weights_scaled / _norm / _softmax
# / plain it printed, where it printed one). Dense layers print none of these and are skipped. Usage: extract_llama_cpp_routing.py LOG OUT.json
import json, re, sys
log = open(sys.argv[1]).read()
def values(name):
    m = re.search(r'common_debug_cb_eval:\s+' + re.escape(name) + r' = [^\n]*?= \{([^}]*)\}\n(.*?)\n\s+sum = ', log, re.S)
    if m is None: return None
    shape = [int(x) for x in m.group(1).split(',')]
    flat = [float(x) for x in re.findall(r'-?\d+\.\d+', m.group(2))]
    return shape, flat
head = log.split('number of input tokens')[1].split('common_debug')[0]
ids = [int(x) for x in re.findall(r'I\s+(\d+)\n', head)]
out = {'ids': ids, 'layers': []}
for layer in sorted({int(m) for m in re.findall(r'ffn_moe_logits-(\d+) = ', log)}):
    biased = re.search(r'common_debug_cb_eval:\s+(\S+) = \(f32\)\s+ADD\(ffn_moe_logits-%d\{[^\n]*ffn_gate_inp\.bias' % layer, log)
    (n_expert, rows, *_), logits = values(biased.group(1) if biased else f'ffn_moe_logits-{layer}')
    (k, _, *_), topk = values(f'ffn_moe_topk-{layer}')
    names = [f'ffn_moe_weights_{step}-{layer}' for step in ('scaled', 'norm', 'softmax')] + [f'ffn_moe_weights-{layer}']
    weights = next((found[1] for found in map(values, names) if found), None)  # a fused node prints none
    assert len(logits) == n_expert * rows and len(topk) == k * rows, 'printout cut short'
    assert weights is None or len(weights) == k * rows, 'printout cut short'
    out['layers'].append({'layer': layer, 'tokens': list(range(len(ids) - rows, len(ids))),
                          'router_logits': [logits[r * n_expert:(r + 1) * n_expert] for r in range(rows)],
                          'topk_ids': [[int(v) for v in topk[r * k:(r + 1) * k]] for r in range(rows)],
                          **({} if weights is None else {'topk_weights': [weights[r * k:(r + 1) * k] for r in range(rows)]})})
json.dump(out, open(sys.argv[2], 'w'), indent=1)
print(sys.argv[2], len(out['layers']), 'layers')
