#!/usr/bin/python3
"""tiny_gguf.py - write a tiny llama-architecture GGUF model with random
weights, for tests/servers/llamacpp/front.mjs (a real llama.cpp runtime).

  tiny_gguf.py OUT.gguf [--seed N] [--layers N] [--embd N] [--ctx N] [CORPUS...]

The model knows nothing; it only has to run. What makes its answers valid
JSON is the grammar llama.cpp builds from the request's schema, so the
vocabulary must hold what JSON needs (digits, braces, quotes, letters, the
pieces of true/false/null), which single characters and the 256 byte tokens
already do. Multi-character pieces (the words of the built-in list and of the
CORPUS files, each with the chain of its prefixes, since a SentencePiece
merge joins two tokens only when their join is itself a token) bring a
prompt to roughly three characters a token, about what a real tokenizer does.

One embedding dimension is a large constant that the layers neither read nor
write, so the output row's weight in it acts as a per-token logit bias:
whitespace and exponents are made unlikely and ',' and '}' likely, so that a
random model mostly closes its JSON within a small num_predict instead of
writing digits until the grammar's limit. What it says is still random:
nulls, numbers in and out of range, true and false. Weights are F32; the file
is deterministic for a given seed and arguments. Standard library only.
"""
import argparse
import array
import collections
import os
import random
import re
import struct
import sys

SPACE = "\u2581"    # SentencePiece's visible space
# GGUF value types
T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR = 4, 5, 6, 7, 8, 9
# llama.cpp token types
NORMAL, UNKNOWN, CONTROL, BYTE = 1, 2, 3, 6
ALIGN = 32

# Words of phx-llm's prompt and of JSON schemas, and JSON pieces.
BUILTIN = """
the a an of and or to in on for with is are be it its not no only one this that
you your from about by as at each every field fields answer answers again
extract facts property real estate listing description untrusted data written
third party appears between markers never follow instructions inside read
json object nothing else must match schema use null does state plainly
number numbers integer boolean true false type properties required minimum
maximum additionalProperties bedrooms bathrooms square_feet year_built
garage_spaces stories pool solar half baths living area square feet year
house was built cars garage holds levels when has private panels previous
refused was home bed beds bath ranch story single two three four five car
sparkling pool owned updated cozy sq ft hoa
{" ": ", ":[" "," "], "}, "} ":" ": ":{" 0 1 2 3 4 5 6 7 8 9 10 100
"""


def pieces_from(text):
    """Words (with and without a leading space) and punctuation runs."""
    out = []
    for w in re.findall(r"[A-Za-z_]+|[0-9]+|[^\sA-Za-z_0-9]+", text):
        out.append(w)
        if w[0].isalnum() or w[0] == "_":
            out.append(SPACE + w)
    return out


def build_vocab(corpus_texts, max_pieces):
    tokens = [("<unk>", UNKNOWN, 0.0), ("<s>", CONTROL, 0.0), ("</s>", CONTROL, 0.0)]
    tokens += [("<0x%02X>" % b, BYTE, 0.0) for b in range(256)]
    seen = {t[0] for t in tokens}

    def add(p, score):
        if p not in seen:
            seen.add(p)
            tokens.append((p, NORMAL, score))

    for c in [SPACE] + [chr(c) for c in range(0x21, 0x7F)]:
        add(c, -1000.0)
    counts = collections.Counter()
    for p in pieces_from(BUILTIN):
        counts[p] += 1000
    for text in corpus_texts:
        counts.update(pieces_from(text))
    for p, _ in counts.most_common(max_pieces):
        # the chain of prefixes, so the merges can reach the whole piece;
        # a longer join scores higher, so it wins over a shorter one
        for n in range(2, min(len(p), 12) + 1):
            add(p[:n], float(n))
    return tokens


def bias_of(piece):
    """(bias, spread) of a token's output row: the bias is what the constant
    dimension adds to its logit, the spread how much the context moves it."""
    if piece in (SPACE, "<0x0A>", "<0x09>", "<0x20>", "<0x0D>"):
        return -8.0, 0.15
    if piece in (",", "}") or piece.endswith(",") or piece.endswith("}"):
        return 4.0, 0.15
    if piece.isdigit():
        return 1.0 - len(piece), 0.03
    if piece in ("e", "E", "-", "+"):
        return -4.0, 0.03    # numbers without exponents, mostly
    if piece in ("true", "false"):
        return 0.5, 0.15
    return 0.0, 0.15


class Writer:
    def __init__(self):
        self.b = bytearray()

    def u32(self, v):
        self.b += struct.pack("<I", v)

    def u64(self, v):
        self.b += struct.pack("<Q", v)

    def s(self, text):
        raw = text.encode("utf-8")
        self.u64(len(raw))
        self.b += raw

    def kv(self, key, vtype, value):
        self.s(key)
        self.u32(vtype)
        if vtype == T_U32:
            self.u32(value)
        elif vtype == T_I32:
            self.b += struct.pack("<i", value)
        elif vtype == T_F32:
            self.b += struct.pack("<f", value)
        elif vtype == T_BOOL:
            self.b += struct.pack("<B", 1 if value else 0)
        elif vtype == T_STR:
            self.s(value)

    def arr(self, key, etype, values):
        self.s(key)
        self.u32(T_ARR)
        self.u32(etype)
        self.u64(len(values))
        for v in values:
            if etype == T_STR:
                self.s(v)
            elif etype == T_F32:
                self.b += struct.pack("<f", v)
            elif etype == T_I32:
                self.b += struct.pack("<i", v)

    def pad(self):
        self.b += b"\0" * (-len(self.b) % ALIGN)


def floats(values):
    a = array.array("f", values)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("corpus", nargs="*", help="text files whose frequent words become tokens")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embd", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ff", type=int, default=128)
    p.add_argument("--ctx", type=int, default=8192, help="trained context length")
    p.add_argument("--mix", type=float, default=0.5, help="spread of the layer weights")
    p.add_argument("--const", type=float, default=1000.0, help="the constant dimension")
    p.add_argument("--pieces", type=int, default=600, help="multi-character pieces at most")
    a = p.parse_intermixed_args()
    rnd = random.Random(a.seed)
    texts = []
    for f in a.corpus:
        with open(f, encoding="utf-8", errors="replace") as fh:
            texts.append(fh.read())
    vocab = build_vocab(texts, a.pieces)
    nv, ne, nf = len(vocab), a.embd, a.ff

    def rand(n, scale):
        return [rnd.gauss(0.0, scale) for _ in range(n)]

    def into_residual(n_in, scale):
        """A matrix writing the residual stream, leaving dimension 0 alone."""
        w = rand(n_in * ne, scale)
        for j in range(n_in):
            w[j] = 0.0    # output row 0 is the first n_in values (ne[0] = n_in)
        return w

    # tensors: (name, ne list with ne[0] fastest, data bytes)
    tensors = []
    embd = []
    for _ in range(nv):
        row = rand(ne, 1.0)
        row[0] = a.const    # the constant dimension
        embd += row
    tensors.append(("token_embd.weight", [ne, nv], floats(embd)))
    out = []
    # The constant C dwarfs the rest r of the residual stream, so an RMS norm
    # gives about sqrt(ne) in dimension 0 and sqrt(ne) r / C in the others;
    # the norm weights C / sqrt(ne) give r back unscaled. The layers' norms
    # hide dimension 0 (weight 0); the output norm keeps it (weight 1), so
    # the output weight bias / sqrt(ne) adds bias to the logit.
    root = ne ** 0.5
    for piece, _, _ in vocab:
        bias, spread = bias_of(piece)
        row = rand(ne, spread)
        row[0] = bias / root

        out += row
    tensors.append(("output.weight", [ne, nv], floats(out)))
    unscale = a.const / root
    tensors.append(("output_norm.weight", [ne], floats([1.0] + [unscale] * (ne - 1))))
    hide = floats([0.0] + [unscale] * (ne - 1))
    for i in range(a.layers):
        blk = "blk.%d." % i
        tensors += [
            (blk + "attn_norm.weight", [ne], hide),
            (blk + "attn_q.weight", [ne, ne], floats(rand(ne * ne, a.mix))),
            (blk + "attn_k.weight", [ne, ne], floats(rand(ne * ne, a.mix))),
            (blk + "attn_v.weight", [ne, ne], floats(rand(ne * ne, a.mix))),
            (blk + "attn_output.weight", [ne, ne], floats(into_residual(ne, a.mix))),
            (blk + "ffn_norm.weight", [ne], hide),
            (blk + "ffn_gate.weight", [ne, nf], floats(rand(ne * nf, a.mix))),
            (blk + "ffn_up.weight", [ne, nf], floats(rand(ne * nf, a.mix))),
            (blk + "ffn_down.weight", [nf, ne], floats(into_residual(nf, a.mix))),
        ]

    w = Writer()
    w.b += b"GGUF"
    w.u32(3)
    w.u64(len(tensors))
    kvs = Writer()
    n_kv = 0

    def kv(key, vtype, value):
        nonlocal n_kv
        kvs.kv(key, vtype, value)
        n_kv += 1

    def arr(key, etype, values):
        nonlocal n_kv
        kvs.arr(key, etype, values)
        n_kv += 1

    kv("general.architecture", T_STR, "llama")
    kv("general.name", T_STR, "phx-tiny")
    kv("general.file_type", T_U32, 0)    # all F32
    kv("general.alignment", T_U32, ALIGN)
    kv("llama.context_length", T_U32, a.ctx)
    kv("llama.embedding_length", T_U32, ne)
    kv("llama.block_count", T_U32, a.layers)
    kv("llama.feed_forward_length", T_U32, nf)
    kv("llama.attention.head_count", T_U32, a.heads)
    kv("llama.attention.head_count_kv", T_U32, a.heads)
    kv("llama.attention.layer_norm_rms_epsilon", T_F32, 1e-5)
    kv("llama.rope.dimension_count", T_U32, ne // a.heads)
    kv("llama.rope.freq_base", T_F32, 10000.0)
    kv("llama.vocab_size", T_U32, nv)
    kv("tokenizer.ggml.model", T_STR, "llama")
    arr("tokenizer.ggml.tokens", T_STR, [t[0] for t in vocab])
    arr("tokenizer.ggml.scores", T_F32, [t[2] for t in vocab])
    arr("tokenizer.ggml.token_type", T_I32, [t[1] for t in vocab])
    kv("tokenizer.ggml.unknown_token_id", T_U32, 0)
    kv("tokenizer.ggml.bos_token_id", T_U32, 1)
    kv("tokenizer.ggml.eos_token_id", T_U32, 2)
    kv("tokenizer.ggml.add_bos_token", T_BOOL, True)
    kv("tokenizer.ggml.add_eos_token", T_BOOL, False)
    w.u64(n_kv)
    w.b += kvs.b
    offset = 0
    for name, dims, data in tensors:
        w.s(name)
        w.u32(len(dims))
        for d in dims:
            w.u64(d)
        w.u32(0)    # GGML_TYPE_F32
        w.u64(offset)
        offset += len(data) + (-len(data) % ALIGN)
    w.pad()
    for _, _, data in tensors:
        w.b += data
        w.pad()
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(w.b)
    os.replace(tmp, a.out)
    print("%s: %d tokens, %d layers, %d bytes" % (a.out, nv, a.layers, len(w.b)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
