"""PyTorch eager baseline for `bench`: the same GPT (byte vocabulary, LayerNorm with bias, partial rotary positions,
parallel residual, GELU MLP of 4d, untied head with µP's 1/m readout, attention scores × 1/d_head), the same batch and
context, trained with torch.optim.AdamW, timed the way `bench` times (median step after three warm-up steps).

Optional: it needs a Python with torch (Debian's python3-torch 1.13 works: `/usr/bin/python3 bench/pytorch_eager.py`).
Compare its tokens/s with `bench` run on the same cores and threads, back to back, e.g.
  dotnet lib/Warmstart.Cli/bin/Release/net10.0/Warmstart.Cli.dll bench --widths 64 128 256 --head-size 16 --attention sdpa fused
  /usr/bin/python3 bench/pytorch_eager.py --widths 64 128 256 --head-size 16

Usage: pytorch_eager.py [--widths 64 128 256] [--layers 4] [--context 256] [--batch-size 16] [--head-size 16]
                        [--steps 20] [--threads 0] [--rotary-fraction 0.25]
"""
import argparse, math, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--widths", type=int, nargs="+", default=[64, 128, 256])
p.add_argument("--layers", type=int, default=4)
p.add_argument("--context", type=int, default=256)
p.add_argument("--batch-size", type=int, default=16)
p.add_argument("--head-size", type=int, default=16)
p.add_argument("--steps", type=int, default=20)
p.add_argument("--threads", type=int, default=0, help="0: one per core")
p.add_argument("--rotary-fraction", type=float, default=0.25)
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
vocab, base_width = 256, 64


class Block(nn.Module):
    def __init__(self, d, heads, hs, rot, context):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.c_attn, self.c_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.c_fc, self.mlp_proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.heads, self.hs, self.rot = heads, hs, rot
        half = rot // 2
        inv = 10000.0 ** (-torch.arange(half, dtype=torch.float32) * 2 / rot)
        angles = torch.arange(context, dtype=torch.float32)[:, None] * inv[None, :]
        self.register_buffer("cos", torch.cat([angles.cos(), angles.cos()], -1), persistent=False)
        self.register_buffer("sin", torch.cat([angles.sin(), angles.sin()], -1), persistent=False)
        self.register_buffer("mask", torch.full((context, context), float("-inf")).triu(1), persistent=False)

    def rope(self, x, t):
        r, rest = x[..., : self.rot], x[..., self.rot:]
        half = self.rot // 2
        rotated = torch.cat([-r[..., half:], r[..., :half]], -1)
        return torch.cat([r * self.cos[:t] + rotated * self.sin[:t], rest], -1)

    def forward(self, x):
        b, t, d = x.shape
        h = self.ln_1(x)
        q, k, v = self.c_attn(h).view(b, t, 3, self.heads, self.hs).permute(2, 0, 3, 1, 4)
        q, k = self.rope(q, t), self.rope(k, t)
        att = (q @ k.transpose(-2, -1)) / self.hs + self.mask[:t, :t]  # µP: 1/d_head
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        return x + self.c_proj(y) + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))  # parallel residual


class Gpt(nn.Module):
    def __init__(self, d, layers, heads, hs, rot, context):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.h = nn.ModuleList([Block(d, heads, hs, rot, context) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.readout = base_width / d

    def forward(self, idx, targets):
        x = self.wte(idx)
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x)) * self.readout
        return F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))


print(f"PyTorch {torch.__version__} eager, {torch.get_num_threads()} threads")
print("d\tN\ttokens/s\tstep ms (median)")
g = torch.Generator().manual_seed(0)
for d in a.widths:
    heads = d // a.head_size
    model = Gpt(d, a.layers, heads, a.head_size, round(a.rotary_fraction * a.head_size), a.context)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0)
    times = []
    for step in range(3 + a.steps):
        idx = torch.randint(0, vocab, (a.batch_size, a.context + 1), generator=g)
        start = time.perf_counter()
        loss = model(idx[:, :-1], idx[:, 1:])
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss.item()
        if step >= 3:
            times.append(time.perf_counter() - start)
    step = statistics.median(times)
    n = sum(p.numel() for p in model.parameters())
    print(f"{d}\t{n:,}\t{a.batch_size * a.context / step:,.0f}\t{1000 * step:.1f}")
