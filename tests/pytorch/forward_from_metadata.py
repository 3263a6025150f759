"""A PyTorch re-implementation of a workbook GPT from nothing but its checkpoint: the safetensors weights and the
conventions in the header's __metadata__ (README: "Loading a run in PyTorch"). It evaluates the checkpoint on the
Brown corpus's validation documents (every tenth document of each genre, from the sixth, as the workbook splits them)
and compares the loss with the run's own summary.json. A wrong convention (readout multiplier, attention scale,
Q|K|V layout, rotary dims) moves the loss by far more than the tolerance.

Usage: python3 forward_from_metadata.py RUN_FOLDER BROWN_JSONL [--device cuda] [--windows 256]
"""
import argparse, json, math, random, struct, sys
import torch
import torch.nn.functional as F


def read_safetensors(path):
    """The tensors and the metadata of a safetensors file. The format is small enough to read without the safetensors
    package: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte range
    (and "__metadata__"), then the raw bytes."""
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64, "I64": torch.int64}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        start, end = t["data_offsets"]
        dtype = dtypes[t["dtype"]]
        count = (end - start) // torch.empty(0, dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=start) if count > 0 else torch.empty(0, dtype=dtype)
        tensors[name] = flat.clone().reshape(t["shape"])
    return tensors, meta


p = argparse.ArgumentParser()
p.add_argument("run"); p.add_argument("brown"); p.add_argument("--device", default="cpu"); p.add_argument("--windows", type=int, default=256)
a = p.parse_args()
path = f"{a.run}/checkpoint/model.safetensors"
tensors, meta = read_safetensors(path)
w = {k: v.to(a.device, torch.float32) for k, v in tensors.items()}
c = json.loads(meta["warmstart.config"])
L, H, hs = c["Layers"], c["Heads"], c["HeadSize"]
d = H * hs
readout = float(meta["warmstart.readout_multiplier"])
scale = float(meta["warmstart.attention_scale"])
rot = round(c["RotaryFraction"] * hs) if c["Positions"] == 0 or c["Positions"] == "Rotary" else 0
parallel = c["ParallelResidual"]
assert c["Mlp"] in (0, "Gelu") and c["Norm"] in (0, "LayerNorm"), "this check covers the GELU / LayerNorm family"

def ln(x, name):
    return F.layer_norm(x, (d,), w[f"{name}.weight"], w.get(f"{name}.bias"), eps=c["NormEps"])

def linear(x, name):
    return F.linear(x, w[f"{name}.weight"], w.get(f"{name}.bias"))

def rope(x, T):  # x: (B, H, T, hs); GPT-NeoX rotate-half on the first `rot` dims
    if rot == 0: return x
    half = rot // 2
    i = torch.arange(rot, device=x.device)
    freq = 10000.0 ** (-2.0 * (i % half).double() / rot)
    ang = torch.arange(T, device=x.device).double()[:, None] * freq[None, :]
    cos, sin = ang.cos().float(), ang.sin().float()
    xr, xp = x[..., :rot], x[..., rot:]
    x1, x2 = xr[..., :half], xr[..., half:]
    rotated = torch.cat([-x2, x1], dim=-1)
    return torch.cat([xr * cos + rotated * sin, xp], dim=-1)

def forward(idx):
    B, T = idx.shape
    x = w["wte.weight"][idx]
    mask = torch.ones(T, T, device=idx.device, dtype=torch.bool).tril()
    for l in range(L):
        def attn(h):
            qkv = linear(h, f"h.{l}.attn.c_attn").view(B, T, 3, H, hs)
            q, k, v = (qkv[:, :, j].transpose(1, 2) for j in range(3))
            q, k = rope(q, T), rope(k, T)
            s = (q @ k.transpose(-1, -2)) * scale
            s = s.masked_fill(~mask, float("-inf")).softmax(-1)
            return linear((s @ v).transpose(1, 2).reshape(B, T, d), f"h.{l}.attn.c_proj")
        def mlp(h):
            return linear(F.gelu(linear(h, f"h.{l}.mlp.c_fc")), f"h.{l}.mlp.c_proj")
        if parallel:
            x = x + attn(ln(x, f"h.{l}.ln_1")) + mlp(ln(x, f"h.{l}.ln_2"))
        else:
            x = x + attn(ln(x, f"h.{l}.ln_1")); x = x + mlp(ln(x, f"h.{l}.ln_2"))
    return linear(ln(x, "ln_f"), "lm_head") * readout

# Validation bytes: each genre's documents sorted by id, every tenth from the sixth, each followed by "\n" (the byte tokenizer's separator).
docs = [json.loads(line) for line in open(a.brown, encoding="utf-8")]
by_genre = {}
for doc in docs: by_genre.setdefault(doc["genre"], []).append(doc)
val = bytearray()
for g in sorted(by_genre):
    for i, doc in enumerate(sorted(by_genre[g], key=lambda d: d["id"])):
        if i % 10 == 5: val += doc["text"].encode("utf-8") + b"\n"
tokens = torch.tensor(list(val), device=a.device)
T = c["ContextLength"]
rng = random.Random(0)
starts = [rng.randrange(0, len(tokens) - T - 1) for _ in range(a.windows)]
with torch.no_grad():
    losses = []
    for i in range(0, len(starts), 32):
        idx = torch.stack([tokens[s:s + T] for s in starts[i:i + 32]])
        tgt = torch.stack([tokens[s + 1:s + T + 1] for s in starts[i:i + 32]])
        losses.append(F.cross_entropy(forward(idx).reshape(-1, c["VocabSize"]), tgt.reshape(-1)).item())
loss = sum(losses) / len(losses)
expected = json.load(open(f"{a.run}/summary.json"))["final_val_loss"]
print(f"PyTorch {torch.__version__} on {a.device}: re-implemented from metadata, validation loss {loss:.4f} "
      f"over {a.windows} windows of {T}; the workbook's own final_val_loss {expected:.4f}; "
      f"readout x{readout:.4g}, attention scale {scale:.4g}, rotary dims {rot} of {hs}, parallel residual {parallel}")
ok = abs(loss - expected) < 0.05
print("MATCH" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
