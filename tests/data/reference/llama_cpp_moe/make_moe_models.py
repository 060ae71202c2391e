# Small MoE GGUF files (v3, F32, random weights) that both llama.cpp and MoEScope read, for
# checking MoEScope's reading of GGUF against llama.cpp's own: python3 make_moe_models.py ARCH OUT
#   mixtral   llama architecture with experts: 3 layers, 4 experts, top-2, hidden 64, 4 query
#             and 2 key/value heads (the converter's q/k row order and grouped-query attention)
#   qwen2moe  the same sizes with q/k/v biases, NEOX RoPE, experts of 32 and a gated shared
#             expert of 48 (top-k weights not renormalised)
#   olmoe     four key/value heads (no grouping), RMS norms over the whole q and k projections,
#             NEOX RoPE, experts of 32 (top-k weights not renormalised)
# A byte-level sentencepiece vocabulary; routers scaled so that top-2 choices are clear.
import math, random, struct, sys
arch, out = sys.argv[1], sys.argv[2]
random.seed({'mixtral': 7, 'qwen2moe': 11, 'olmoe': 13}[arch])
n_embd, n_layer, n_head, n_expert, n_used = 64, 3, 4, 4, 2
n_head_kv = 4 if arch == 'olmoe' else 2
n_ff, n_ff_exp, n_ff_shexp = {'mixtral': (48, 48, 0), 'qwen2moe': (96, 32, 48), 'olmoe': (32, 32, 0)}[arch]
n_vocab, hd = 3 + 256, 64 // 4
gguf_arch = 'llama' if arch == 'mixtral' else arch
def s(x): b = x.encode(); return struct.pack('<Q', len(b)) + b
def kv_str(k, v): return s(k) + struct.pack('<I', 8) + s(v)
def kv_u32(k, v): return s(k) + struct.pack('<I', 4) + struct.pack('<I', v)
def kv_f32(k, v): return s(k) + struct.pack('<I', 6) + struct.pack('<f', v)
def kv_bool(k, v): return s(k) + struct.pack('<I', 7) + struct.pack('<?', v)
def kv_arr(k, t, fmt, vs): return s(k) + struct.pack('<I', 9) + struct.pack('<IQ', t, len(vs)) + b''.join(struct.pack(fmt, v) for v in vs)
def kv_strarr(k, vs): return s(k) + struct.pack('<I', 9) + struct.pack('<IQ', 8, len(vs)) + b''.join(s(v) for v in vs)
a = gguf_arch + '.'
kvs = [kv_str('general.architecture', gguf_arch), kv_str('general.name', 'moescope-tiny-' + arch), kv_u32('general.file_type', 0),
       kv_u32(a + 'context_length', 256), kv_u32(a + 'embedding_length', n_embd), kv_u32(a + 'block_count', n_layer),
       kv_u32(a + 'feed_forward_length', n_ff), kv_u32(a + 'attention.head_count', n_head),
       kv_u32(a + 'attention.head_count_kv', n_head_kv), kv_f32(a + 'rope.freq_base', 10000.0),
       kv_f32(a + 'attention.layer_norm_rms_epsilon', 1e-5), kv_u32(a + 'expert_count', n_expert),
       kv_u32(a + 'expert_used_count', n_used),
       kv_str('tokenizer.ggml.model', 'llama'), kv_str('tokenizer.ggml.pre', 'default'),
       kv_strarr('tokenizer.ggml.tokens', ['<unk>', '<s>', '</s>'] + ['<0x%02X>' % i for i in range(256)]),
       kv_arr('tokenizer.ggml.scores', 6, '<f', [0.0] * n_vocab),
       kv_arr('tokenizer.ggml.token_type', 5, '<i', [2, 3, 3] + [6] * 256),
       kv_u32('tokenizer.ggml.bos_token_id', 1), kv_u32('tokenizer.ggml.eos_token_id', 2),
       kv_u32('tokenizer.ggml.unknown_token_id', 0), kv_bool('tokenizer.ggml.add_bos_token', True)]
if arch == 'mixtral':
    kvs += [kv_u32(a + 'rope.dimension_count', hd), kv_u32(a + 'vocab_size', n_vocab)]
elif arch == 'qwen2moe':
    kvs += [kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'expert_shared_feed_forward_length', n_ff_shexp)]
tensors = [('token_embd.weight', [n_embd, n_vocab], 1.0), ('output_norm.weight', [n_embd], None), ('output.weight', [n_embd, n_vocab], 0.2)]
for i in range(n_layer):
    p = f'blk.{i}.'
    tensors += [(p + 'attn_norm.weight', [n_embd], None), (p + 'attn_q.weight', [n_embd, n_embd], 0.3),
                (p + 'attn_k.weight', [n_embd, n_head_kv * hd], 0.3), (p + 'attn_v.weight', [n_embd, n_head_kv * hd], 0.3)]
    if arch == 'qwen2moe':
        tensors += [(p + 'attn_q.bias', [n_embd], 0.3), (p + 'attn_k.bias', [n_head_kv * hd], 0.3), (p + 'attn_v.bias', [n_head_kv * hd], 0.3)]
    if arch == 'olmoe':
        tensors += [(p + 'attn_q_norm.weight', [n_embd], None), (p + 'attn_k_norm.weight', [n_embd], None)]
    tensors += [(p + 'attn_output.weight', [n_embd, n_embd], 0.15), (p + 'ffn_norm.weight', [n_embd], None),
                (p + 'ffn_gate_inp.weight', [n_embd, n_expert], 0.25),
                (p + 'ffn_gate_exps.weight', [n_embd, n_ff_exp, n_expert], 0.2), (p + 'ffn_up_exps.weight', [n_embd, n_ff_exp, n_expert], 0.2),
                (p + 'ffn_down_exps.weight', [n_ff_exp, n_embd, n_expert], 0.2)]
    if arch == 'qwen2moe':
        tensors += [(p + 'ffn_gate_inp_shexp.weight', [n_embd], 0.25), (p + 'ffn_gate_shexp.weight', [n_embd, n_ff_shexp], 0.2),
                    (p + 'ffn_up_shexp.weight', [n_embd, n_ff_shexp], 0.2), (p + 'ffn_down_shexp.weight', [n_ff_shexp, n_embd], 0.2)]
blobs, infos, off = [], b'', 0
for name, dims, scale in tensors:
    n = math.prod(dims)
    vals = [1.0 + random.gauss(0, 0.1) for _ in range(n)] if scale is None else [random.gauss(0, scale) for _ in range(n)]
    b = struct.pack('<%df' % n, *vals)
    infos += s(name) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', d) for d in dims) + struct.pack('<IQ', 0, off)
    blobs.append(b + b'\0' * ((-len(b)) % 32)); off += len(blobs[-1])
hdr = b'GGUF' + struct.pack('<IQQ', 3, len(tensors), len(kvs)) + b''.join(kvs) + infos
hdr += b'\0' * ((-len(hdr)) % 32)
open(out, 'wb').write(hdr + b''.join(blobs))
