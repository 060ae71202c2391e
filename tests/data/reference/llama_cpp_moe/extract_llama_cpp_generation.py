# Reads what llama.cpp's llama-simple printed for each tiny file (llama-simple -m tiny-ARCH.gguf
# -n 10 "Hi" > ARCH.out: the prompt's pieces, then ten greedy tokens, then a newline) and writes
# the ids to OUT.json. The files' vocabulary is <unk>, <s>, </s> and one token per byte, so the
# printout maps back to ids: "<s>" and "</s>" are ids 1 and 2, any other byte b is 3 + b.
# Usage: extract_llama_cpp_generation.py OUT.json ARCH=ARCH.out [...]
import json, sys
prompt_text = b'<s>' + '\u2581Hi'.encode()  # BOS, then sentencepiece's space prefix
def ids(printed):
    out, i = [], 0
    while i < len(printed):
        for name, token in ((b'<s>', 1), (b'</s>', 2)):
            if printed.startswith(name, i): out.append(token); i += len(name); break
        else: out.append(3 + printed[i]); i += 1
    return out
result = {}
for arg in sys.argv[2:]:
    arch, path = arg.split('=', 1)
    printed = open(path, 'rb').read()
    assert printed.startswith(prompt_text) and printed.endswith(b'\n'), path
    generated = ids(printed[len(prompt_text):-1])
    assert len(generated) == 10, (arch, generated)
    result[arch] = {'prompt': ids(prompt_text), 'generated': generated}
json.dump(result, open(sys.argv[1], 'w'), indent=1)
