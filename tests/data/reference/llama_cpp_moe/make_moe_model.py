# A tiny Mixtral-style GGUF (llama architecture with experts; v3, F32) that both llama.cpp and
# MoEScope read: 3 layers, 4 experts, top-2, hidden 64, grouped-query attention (4 query heads,
# 2 key/value heads), a byte-level sentencepiece vocabulary. Random weights; the routers are
# scaled up so that the top-2 choices are clear rather than near ties.
import math, random, struct, sys
out = sys.argv[1]
random.seed(7)
n_embd, n_ff, n_layer, n_head, n_head_kv, n_expert, n_used = 64, 48, 3, 4, 2, 4, 2
n_vocab = 3 + 256
def s(x): b = x.encode(); return struct.pack('<Q', len(b)) + b
def kv_str(k, v): return s(k) + struct.pack('<I', 8) + s(v)
def kv_u32(k, v): return s(k) + struct.pack('<I', 4) + struct.pack('<I', v)
def kv_f32(k, v): return s(k) + struct.pack('<I', 6) + struct.pack('<f', v)
def kv_bool(k, v): return s(k) + struct.pack('<I', 7) + struct.pack('<?', v)
def kv_arr(k, t, fmt, vs): return s(k) + struct.pack('<I', 9) + struct.pack('<IQ', t, len(vs)) + b''.join(struct.pack(fmt, v) for v in vs)
def kv_strarr(k, vs): return s(k) + struct.pack('<I', 9) + struct.pack('<IQ', 8, len(vs)) + b''.join(s(v) for v in vs)
kvs = [kv_str('general.architecture', 'llama'), kv_str('general.name', 'moescope-tiny-mixtral'), kv_u32('general.file_type', 0),
       kv_u32('llama.context_length', 256), kv_u32('llama.embedding_length', n_embd), kv_u32('llama.block_count', n_layer),
       kv_u32('llama.feed_forward_length', n_ff), kv_u32('llama.attention.head_count', n_head),
       kv_u32('llama.attention.head_count_kv', n_head_kv), kv_u32('llama.rope.dimension_count', n_embd // n_head),
       kv_f32('llama.rope.freq_base', 10000.0), kv_f32('llama.attention.layer_norm_rms_epsilon', 1e-5),
       kv_u32('llama.expert_count', n_expert), kv_u32('llama.expert_used_count', n_used), kv_u32('llama.vocab_size', n_vocab),
       kv_str('tokenizer.ggml.model', 'llama'), kv_str('tokenizer.ggml.pre', 'default'),
       kv_strarr('tokenizer.ggml.tokens', ['<unk>', '<s>', '</s>'] + ['<0x%02X>' % i for i in range(256)]),
       kv_arr('tokenizer.ggml.scores', 6, '<f', [0.0] * n_vocab),
       kv_arr('tokenizer.ggml.token_type', 5, '<i', [2, 3, 3] + [6] * 256),
       kv_u32('tokenizer.ggml.bos_token_id', 1), kv_u32('tokenizer.ggml.eos_token_id', 2),
       kv_u32('tokenizer.ggml.unknown_token_id', 0), kv_bool('tokenizer.ggml.add_bos_token', True)]
hd = n_embd // n_head
tensors = [('token_embd.weight', [n_embd, n_vocab], 1.0), ('output_norm.weight', [n_embd], None), ('output.weight', [n_embd, n_vocab], 0.2)]
for i in range(n_layer):
    p = f'blk.{i}.'
    tensors += [(p + 'attn_norm.weight', [n_embd], None), (p + 'attn_q.weight', [n_embd, n_embd], 0.3),
                (p + 'attn_k.weight', [n_embd, n_head_kv * hd], 0.3), (p + 'attn_v.weight', [n_embd, n_head_kv * hd], 0.3),
                (p + 'attn_output.weight', [n_embd, n_embd], 0.15), (p + 'ffn_norm.weight', [n_embd], None),
                (p + 'ffn_gate_inp.weight', [n_embd, n_expert], 0.25),
                (p + 'ffn_gate_exps.weight', [n_embd, n_ff, n_expert], 0.2), (p + 'ffn_up_exps.weight', [n_embd, n_ff, n_expert], 0.2),
                (p + 'ffn_down_exps.weight', [n_ff, n_embd, n_expert], 0.2)]
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
print(out, len(hdr) + off)
