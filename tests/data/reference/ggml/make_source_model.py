# A two-matrix llama-architecture GGUF (v3, F32) for checking ggml decoders against llama.cpp.
# Plain struct; values random with planted extremes (zero, constant, huge, tiny, one-signed
# blocks and outliers) so that every scale field and nibble range gets exercised.
import math, random, struct, sys
out = sys.argv[1]
random.seed(20261207)
def s(x): b = x.encode(); return struct.pack('<Q', len(b)) + b
def kv_str(k, v): return s(k) + struct.pack('<I', 8) + s(v)
def kv_u32(k, v): return s(k) + struct.pack('<I', 4) + struct.pack('<I', v)
def kv_f32(k, v): return s(k) + struct.pack('<I', 6) + struct.pack('<f', v)
kvs = [kv_str('general.architecture', 'llama'), kv_str('general.name', 'moescope-ggml-check'),
       kv_u32('general.file_type', 0), kv_u32('llama.context_length', 64), kv_u32('llama.embedding_length', 256),
       kv_u32('llama.block_count', 1), kv_u32('llama.feed_forward_length', 512),
       kv_u32('llama.attention.head_count', 4), kv_u32('llama.attention.head_count_kv', 4),
       kv_u32('llama.rope.dimension_count', 64), kv_f32('llama.attention.layer_norm_rms_epsilon', 1e-5)]
tensors = [('blk.0.attn_q.weight', [256, 64]), ('blk.0.ffn_down.weight', [512, 32])]
def values(n):
    v = [random.gauss(0, 0.02) for _ in range(n)]
    for _ in range(n // 500): v[random.randrange(n)] = random.gauss(0, 0.5)
    blocks = [lambda i: 0.0, lambda i: 0.125, lambda i: random.uniform(-3e4, 3e4), lambda i: random.gauss(0, 1e-7),
              lambda i: abs(random.gauss(0, 0.05)), lambda i: -abs(random.gauss(0, 0.05)), lambda i: (i % 16) / 15.0 - 0.5]
    for b, f in enumerate(blocks):  # one kind per 256-value super-block, at the start of the rows
        for i in range(256): v[b * 256 + i] = f(i)
    return v
blobs, infos, off = [], b'', 0
for name, dims in tensors:
    b = struct.pack('<%df' % math.prod(dims), *values(math.prod(dims)))
    infos += s(name) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', d) for d in dims) + struct.pack('<IQ', 0, off)
    blobs.append(b + b'\0' * ((-len(b)) % 32)); off += len(blobs[-1])
hdr = b'GGUF' + struct.pack('<IQQ', 3, len(tensors), len(kvs)) + b''.join(kvs) + infos
hdr += b'\0' * ((-len(hdr)) % 32)
open(out, 'wb').write(hdr + b''.join(blobs))
