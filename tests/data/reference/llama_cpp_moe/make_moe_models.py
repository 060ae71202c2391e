# Small MoE GGUF files (v3, F32, random weights) that both llama.cpp and MoEScope read, for
# checking MoEScope's reading of GGUF against llama.cpp's own: python3 make_moe_models.py ARCH OUT
# Every file: three layers, hidden 64, four query heads, top-2 routing (llama4: four layers,
# top-1), a byte-level sentencepiece vocabulary, routers scaled so that the choices are clear.
#   mixtral   llama architecture with experts: four experts, two key/value heads (the
#             converter's q/k row order and grouped-query attention)
#   qwen2moe  the same sizes with q/k/v biases, NEOX RoPE, experts of 32 and a gated shared
#             expert of 48 (top-k weights not renormalised)
#   olmoe     four key/value heads (no grouping), RMS norms over the whole q and k projections,
#             NEOX RoPE, experts of 32 (top-k weights not renormalised)
#   qwen3moe  heads of 24 (wider than hidden / heads), per-head q/k RMS norms, renormalised top-k
#   deepseek2 DeepSeek-V3: a dense first layer, latent attention (q_lora 24, kv_lora 16, rope 8,
#             nope 12, value 12, k_b/v_b split as today's converter writes it), six experts in
#             three groups of which two are kept, sigmoid scores with a selection bias,
#             renormalised and scaled by 2.5, one shared expert
#   glm4moe   GLM-4.5: a dense first layer, q/k/v biases, per-head q/k norms, half-width NEOX
#             RoPE, post_attention_norm, six sigmoid-scored experts with a selection bias,
#             renormalised and scaled by 2.5, one shared expert
#   gpt-oss   heads of 24, biases everywhere, attention sinks, a window of 3 tokens on even
#             layers, a biased router whose top-k logits are softmaxed, clamped SwiGLU experts
#             with biases
#   deepseek  DeepSeekMoE: a dense first layer, six experts, softmax top-2 not renormalised,
#             two shared experts
#   grok      Grok-1: norms after attention and after the experts, GELU experts, attention
#             logits scaled by 0.25 and capped at 30, embeddings scaled by 8
#   llama4    Llama 4: four layers (the fourth without RoPE), top-1 sigmoid routing whose weight
#             scales the expert's input, a shared expert, weightless L2 norms on q and k
import math, random, struct, sys
arch, out = sys.argv[1], sys.argv[2]
random.seed({'mixtral': 7, 'qwen2moe': 11, 'olmoe': 13, 'qwen3moe': 17, 'deepseek2': 19, 'glm4moe': 23,
             'gpt-oss': 29, 'deepseek': 31, 'grok': 41, 'llama4': 43}[arch])
n_embd, n_head = 64, 4
n_layer, n_used = (4, 1) if arch == 'llama4' else (3, 2)
n_expert = 6 if arch in ('deepseek2', 'glm4moe', 'deepseek') else 4
n_head_kv = {'olmoe': 4, 'deepseek2': 1}.get(arch, 2)
hd = 24 if arch in ('qwen3moe', 'gpt-oss') else 16
n_ff, n_ff_exp, n_ff_shexp = {'mixtral': (48, 48, 0), 'qwen2moe': (96, 32, 48), 'olmoe': (32, 32, 0),
                              'qwen3moe': (96, 32, 0), 'deepseek2': (48, 16, 16), 'glm4moe': (48, 16, 16),
                              'gpt-oss': (32, 32, 0), 'deepseek': (48, 16, 32), 'grok': (32, 32, 0),
                              'llama4': (48, 32, 32)}[arch]
dense_lead = 1 if arch in ('deepseek2', 'glm4moe', 'deepseek') else 0
q_lora, kv_lora, rope, nope, v_dim = 24, 16, 8, 12, 12  # deepseek2's latent attention
n_vocab = 3 + 256
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
elif arch in ('qwen3moe', 'gpt-oss'):
    kvs += [kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'attention.key_length', hd),
            kv_u32(a + 'attention.value_length', hd)]
    if arch == 'gpt-oss':
        kvs += [kv_u32(a + 'rope.dimension_count', hd), kv_u32(a + 'attention.sliding_window', 3)]
elif arch == 'deepseek2':
    kvs += [kv_u32(a + 'leading_dense_block_count', dense_lead), kv_u32(a + 'vocab_size', n_vocab),
            kv_u32(a + 'attention.q_lora_rank', q_lora), kv_u32(a + 'attention.kv_lora_rank', kv_lora),
            kv_u32(a + 'attention.key_length', kv_lora + rope), kv_u32(a + 'attention.value_length', kv_lora),
            kv_u32(a + 'attention.key_length_mla', nope + rope), kv_u32(a + 'attention.value_length_mla', v_dim),
            kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'expert_shared_count', 1),
            kv_f32(a + 'expert_weights_scale', 2.5), kv_bool(a + 'expert_weights_norm', True),
            kv_u32(a + 'expert_gating_func', 2), kv_u32(a + 'expert_group_count', 3),
            kv_u32(a + 'expert_group_used_count', 2), kv_u32(a + 'rope.dimension_count', rope)]
elif arch == 'glm4moe':
    kvs += [kv_u32(a + 'leading_dense_block_count', dense_lead), kv_u32(a + 'rope.dimension_count', hd // 2),
            kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'expert_shared_count', 1),
            kv_f32(a + 'expert_weights_scale', 2.5), kv_bool(a + 'expert_weights_norm', True),
            kv_u32(a + 'expert_gating_func', 2)]
elif arch == 'deepseek':
    kvs += [kv_u32(a + 'leading_dense_block_count', dense_lead), kv_u32(a + 'rope.dimension_count', hd),
            kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'expert_shared_count', 2),
            kv_f32(a + 'expert_weights_scale', 1.0)]
elif arch == 'grok':
    kvs += [kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_f32(a + 'attention.output_scale', 0.25),
            kv_f32(a + 'attn_logit_softcapping', 30.0), kv_f32(a + 'embedding_scale', 8.0), kv_f32(a + 'logit_scale', 0.5)]
elif arch == 'llama4':
    kvs += [kv_u32(a + 'expert_feed_forward_length', n_ff_exp), kv_u32(a + 'interleave_moe_layer_step', 1),
            kv_u32(a + 'rope.dimension_count', hd), kv_u32(a + 'vocab_size', n_vocab)]
q_out, kv_out = n_head * hd, n_head_kv * hd
tensors = [('token_embd.weight', [n_embd, n_vocab], 1.0), ('output_norm.weight', [n_embd], None), ('output.weight', [n_embd, n_vocab], 0.2)]
for i in range(n_layer):
    p = f'blk.{i}.'
    tensors += [(p + 'attn_norm.weight', [n_embd], None)]
    if arch == 'deepseek2':
        tensors += [(p + 'attn_q_a.weight', [n_embd, q_lora], 0.3), (p + 'attn_q_a_norm.weight', [q_lora], None),
                    (p + 'attn_q_b.weight', [q_lora, n_head * (nope + rope)], 0.4),
                    (p + 'attn_kv_a_mqa.weight', [n_embd, kv_lora + rope], 0.3), (p + 'attn_kv_a_norm.weight', [kv_lora], None),
                    (p + 'attn_k_b.weight', [nope, kv_lora, n_head], 0.4), (p + 'attn_v_b.weight', [kv_lora, v_dim, n_head], 0.4),
                    (p + 'attn_output.weight', [n_head * v_dim, n_embd], 0.15)]
    else:
        tensors += [(p + 'attn_q.weight', [n_embd, q_out], 0.3), (p + 'attn_k.weight', [n_embd, kv_out], 0.3),
                    (p + 'attn_v.weight', [n_embd, kv_out], 0.3)]
        if arch in ('qwen2moe', 'glm4moe', 'gpt-oss'):
            tensors += [(p + 'attn_q.bias', [q_out], 0.3), (p + 'attn_k.bias', [kv_out], 0.3), (p + 'attn_v.bias', [kv_out], 0.3)]
        if arch == 'olmoe':
            tensors += [(p + 'attn_q_norm.weight', [n_embd], None), (p + 'attn_k_norm.weight', [n_embd], None)]
        if arch in ('qwen3moe', 'glm4moe'):
            tensors += [(p + 'attn_q_norm.weight', [hd], None), (p + 'attn_k_norm.weight', [hd], None)]
        tensors += [(p + 'attn_output.weight', [q_out, n_embd], 0.15)]
        if arch == 'grok':
            tensors += [(p + 'attn_output_norm.weight', [n_embd], None)]
        if arch == 'gpt-oss':
            tensors += [(p + 'attn_output.bias', [n_embd], 0.1), (p + 'attn_sinks.weight', [n_head], 1.0)]
    tensors += [(p + ('post_attention_norm' if arch in ('glm4moe', 'gpt-oss') else 'ffn_norm') + '.weight', [n_embd], None)]
    if i < dense_lead:
        tensors += [(p + 'ffn_gate.weight', [n_embd, n_ff], 0.2), (p + 'ffn_up.weight', [n_embd, n_ff], 0.2),
                    (p + 'ffn_down.weight', [n_ff, n_embd], 0.2)]
        continue
    tensors += [(p + 'ffn_gate_inp.weight', [n_embd, n_expert], 0.25)]
    if arch in ('deepseek2', 'glm4moe'):
        tensors += [(p + 'exp_probs_b.bias', [n_expert], 0.05)]
    if arch == 'gpt-oss':
        tensors += [(p + 'ffn_gate_inp.bias', [n_expert], 0.1)]
    tensors += [(p + 'ffn_gate_exps.weight', [n_embd, n_ff_exp, n_expert], 0.2), (p + 'ffn_up_exps.weight', [n_embd, n_ff_exp, n_expert], 0.2),
                (p + 'ffn_down_exps.weight', [n_ff_exp, n_embd, n_expert], 0.2)]
    if arch == 'gpt-oss':
        tensors += [(p + 'ffn_gate_exps.bias', [n_ff_exp, n_expert], 0.1), (p + 'ffn_up_exps.bias', [n_ff_exp, n_expert], 0.1),
                    (p + 'ffn_down_exps.bias', [n_embd, n_expert], 0.1)]
    if arch == 'qwen2moe':
        tensors += [(p + 'ffn_gate_inp_shexp.weight', [n_embd], 0.25)]
    if arch == 'grok':
        tensors += [(p + 'layer_output_norm.weight', [n_embd], None)]
    if n_ff_shexp:
        tensors += [(p + 'ffn_gate_shexp.weight', [n_embd, n_ff_shexp], 0.2), (p + 'ffn_up_shexp.weight', [n_embd, n_ff_shexp], 0.2),
                    (p + 'ffn_down_shexp.weight', [n_ff_shexp, n_embd], 0.2)]
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
