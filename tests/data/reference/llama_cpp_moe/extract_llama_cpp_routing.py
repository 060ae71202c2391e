# Reads llama-eval-callback's printout (llama-eval-callback -m FILE -p "Hi" -n 1 -t 2 -ctk f32
# -ctv f32 -fa off > LOG) and writes, per MoE layer, the rows llama.cpp computed: router logits
# (ffn_moe_logits-L), the chosen experts (ffn_moe_topk-L) and their final weights (the last of
# ffn_moe_weights_scaled / _norm / plain it printed, where it printed one). Usage: extract_llama_cpp_routing.py LOG OUT.json
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
layer = 0
while values(f'ffn_moe_logits-{layer}'):
    (n_expert, rows, *_), logits = values(f'ffn_moe_logits-{layer}')
    (k, _, *_), topk = values(f'ffn_moe_topk-{layer}')
    names = [f'ffn_moe_weights_scaled-{layer}', f'ffn_moe_weights_norm-{layer}', f'ffn_moe_weights-{layer}']
    weights = next((values(n)[1] for n in names if values(n)), None)  # a fused node prints none
    assert len(logits) == n_expert * rows and len(topk) == k * rows, 'printout cut short'
    assert weights is None or len(weights) == k * rows, 'printout cut short'
    out['layers'].append({'layer': layer, 'tokens': list(range(len(ids) - rows, len(ids))),
                          'router_logits': [logits[r * n_expert:(r + 1) * n_expert] for r in range(rows)],
                          'topk_ids': [[int(v) for v in topk[r * k:(r + 1) * k]] for r in range(rows)],
                          **({} if weights is None else {'topk_weights': [weights[r * k:(r + 1) * k] for r in range(rows)]})})
    layer += 1
json.dump(out, open(sys.argv[2], 'w'), indent=1)
print(sys.argv[2], len(out['layers']), 'layers')
