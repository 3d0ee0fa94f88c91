#!/usr/bin/env python3
"""PyTorch equivalent of `vtm bench train` (the learned interpreter's training step).

Same shapes and arithmetic as the DL4J/SameDiff model with its default tuning: d=2, n=4 (M=15),
K=6 degree-5 terms per output, S=64 sample points, LSTM(56 -> 32) over 8 padded steps, batch 32,
head Linear(32 -> M*M) scaled by 1e-3, c = (T0 + dT) a + Q a+, values = c Phi^T,
loss = mean over real rows of log(1e-10 + |values - y|^2 / |y|^2), gradient-norm clip 1, Adam,
float64. The data are random with the right shapes (throughput only; numbers are not compared).
Prints 'RESULT train_torch samples_per_s=<x>'. Run with Debian's python3-torch:
    OMP_NUM_THREADS=1 /usr/bin/python3 bench/train_torch.py
"""
import argparse
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=32)
p.add_argument("--iterations", type=int, default=30)
p.add_argument("--threads", type=int, default=1)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
dt = torch.float64
d, M, K, S, T, H = 2, 15, 6, 64, 8, 32
F = d + d * M + d + d * K + 1 + T + 1
B = args.batch


class Interp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(F, H, batch_first=True).to(dt)
        self.head = torch.nn.Linear(H, M * M).to(dt)
        torch.nn.init.zeros_(self.head.weight)
        torch.nn.init.zeros_(self.head.bias)
        self.q = torch.nn.Parameter(torch.zeros(K, M, dtype=dt))
        self.register_buffer("t0", torch.randn(M, M, dtype=dt))
        self.register_buffer("phiT", torch.randn(M, S, dtype=dt))

    def forward(self, x, a, nxt):
        h, _ = self.lstm(x)                                   # [B, T, H]
        delta = 1e-3 * self.head(h.reshape(-1, H))            # [N, M*M]
        tr = self.t0 + delta.reshape(-1, 1, M, M)             # [N, 1, M, M]
        c = (tr * a.reshape(-1, d, 1, M)).sum(-1)             # [N, d, M]
        c = c + (nxt.reshape(-1, K) @ self.q).reshape(-1, d, M)
        return (c.reshape(-1, M) @ self.phiT).reshape(-1, d, S)


model = Interp()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(B, T, F, dtype=dt)
a = torch.randn(B * T, d, M, dtype=dt)
nxt = torch.randn(B * T, d, K, dtype=dt)
y = torch.randn(B * T, d, S, dtype=dt)
steps = torch.randint(1, 5, (B,))
mask = (torch.arange(T)[None, :] < steps[:, None]).reshape(-1).to(dt)
w = 1.0 / (y.pow(2).sum((1, 2)) + 1e-12)
mask = mask / mask.sum()


def step():
    opt.zero_grad()
    v = model(x, a, nxt)
    row = ((v - y).pow(2).sum((1, 2)) * w)
    loss = (torch.log(row + 1e-10) * mask).sum()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


for _ in range(3):
    step()
t0 = time.perf_counter()
for _ in range(args.iterations):
    step()
sec = time.perf_counter() - t0
print(f"{args.iterations} steps of batch {B} in {sec:.2f} s: {1e3 * sec / args.iterations:.1f} ms/step")
print(f"RESULT train_torch samples_per_s={args.iterations * B / sec:.1f}")
