#!/usr/bin/env python3
"""The STM character model (CharNetwork) and its training update (CharTrainer) in PyTorch, for parity tests and
`vtm bench stm --versus-torch`.

Reads an exchange directory written by org.vtm.interpreter.stm.StmTorchBridge (see torch_exchange.py): the model
section (kind stm or lstm and its shapes and options), the training section (learning rate, clip norm, number of
updates), the parameters under CharNetwork's names and layouts (l<l>_cW [in+H1, 4 H1], l<l>_cb [1, 4 H1],
l<l>_thW [H1, |theta|], l<l>_thb, l<l>_mW [in+P, 4 P], l<l>_mb, outW, outb; for an LSTM l<l>W, l<l>b), one segment
x, y (one-hot [B, T, V]) and the carried state in_<name> ([B, n] hidden and cell states, in_mem [B, H, W]).

The model, step by step and layer by layer (CharNetwork's equations; LSTM gates i, f, g, o over [input, h]):

    h1, c1 = LSTM_c([x, h1], c1)
    theta  = base_l + act(h1 thW + thb)                           act: tanh or identity
    px, py = memory-cell positions of the word cells under theta  (corners map onto corners)
    wy[p, a] = max(0, 1 - |py_p - a|),  wx[p, c] = max(0, 1 - |px_p - c|)     bilinear tent factors
    word   = sum_{a,c} wy[p, a] M[a, c] wx[p, c]                   read: bmm(wy, M) * wx, summed over c
    h2, C  = LSTM_m([x, h2], word)                                the read word is the previous cell
    M      = M * (1 - min(1, wy^T wx)) + (wy * C)^T wx            write with the same factors (bilinear) or
                                                                  with positions floor(p + 0.5) (nearest)

then logits = h_top outW + outb and the loss is the mean cross-entropy in nats per character. One update is the
loss and its gradients, the global-norm clip g *= min(1, clip / max(1e-12, |g|)) and CharTrainer's Adam
(lr_t = lr sqrt(1 - b2^t) / (1 - b1^t), p -= lr_t m / (sqrt(v) + eps)), written out here rather than
torch.optim.Adam, whose bias correction puts eps elsewhere. The state carries from one update to the next.

    python3 torch_stm.py step DIR     # runs training.steps updates; writes DIR/out (losses, parameters, out_<state>)
    python3 torch_stm.py bench DIR --iterations N --warmup W
                                      # prints 'RESULT torch chars_per_s=<x> ms_per_update=<y>'
Run with Debian's python3-torch; one thread (torch.set_num_threads(1) unless OMP_NUM_THREADS says otherwise).
"""
import math

import torch

from torch_exchange import answer, start, timed


def lstm_cell(inp, h, c, w, b, hidden):
    z = torch.cat([inp, h], 1) @ w + b
    sig = torch.sigmoid(z)
    i = sig[:, :hidden]
    f = sig[:, hidden:2 * hidden]
    g = torch.tanh(z[:, 2 * hidden:3 * hidden])
    o = sig[:, 3 * hidden:]
    c_new = f * c + i * g
    return o * torch.tanh(c_new), c_new


class Sampler:
    """Affine grid and the row/column tent factors of the bilinear sampling matrix K[p, (a, c)] = wy[p, a] wx[p, c]."""

    def __init__(self, m, dtype):
        self.form = m["theta_form"]
        rows, cols = m["word_rows"], m["word_cols"]
        self.mem_rows, self.mem_cols = m["mem_rows"], m["mem_cols"]
        xs = [-1.0 + 2.0 * j / (cols - 1) for i in range(rows) for j in range(cols)]
        ys = [-1.0 + 2.0 * i / (rows - 1) for i in range(rows) for j in range(cols)]
        self.x = torch.tensor(xs, dtype=dtype).reshape(1, -1)
        self.y = torch.tensor(ys, dtype=dtype).reshape(1, -1)
        self.rows_idx = torch.arange(self.mem_rows, dtype=dtype).reshape(1, 1, -1)
        self.cols_idx = torch.arange(self.mem_cols, dtype=dtype).reshape(1, 1, -1)

    def factors(self, theta, nearest):
        """wy [B, P, H] and wx [B, P, W] for theta [B, |theta|]."""
        t = [theta[:, k:k + 1] for k in range(theta.shape[1])]
        if self.form == "full":  # [a, b, tx, c, d, ty]
            xs = t[0] * self.x + t[1] * self.y + t[2]
            ys = t[3] * self.x + t[4] * self.y + t[5]
        else:  # scale_shift: [sx, sy, tx, ty]
            xs = t[0] * self.x + t[2]
            ys = t[1] * self.y + t[3]
        px = (xs + 1.0) * ((self.mem_cols - 1) / 2.0)
        py = (ys + 1.0) * ((self.mem_rows - 1) / 2.0)
        if nearest:
            px = torch.floor(px + 0.5)
            py = torch.floor(py + 0.5)
        wx = torch.relu(1.0 - torch.abs(px.unsqueeze(2) - self.cols_idx))
        wy = torch.relu(1.0 - torch.abs(py.unsqueeze(2) - self.rows_idx))
        return wy, wx

    @staticmethod
    def read(wy, wx, mem):
        return (torch.bmm(wy, mem) * wx).sum(2)

    @staticmethod
    def write(wy, wx, mem, word):
        access = torch.bmm(wy.transpose(1, 2), wx)
        add = torch.bmm((wy * word.unsqueeze(2)).transpose(1, 2), wx)
        # a cell hit by several word cells gets their weighted mean: add / max(1, A); the gradient to A is
        # taken only where A > 1 (0 at the kink A = 1, as ND4J's scalarMax does)
        crowd = torch.where(access > 1.0, access, torch.ones_like(access))
        return mem * (1.0 - torch.clamp(access, 0.0, 1.0)) + add / crowd


class CharNet:
    def __init__(self, m, arrays, dtype):
        self.kind, self.layers = m["kind"], m["layers"]
        self.names = list(m["parameters"])
        self.state_names = list(m["state"])
        self.params = {n: arrays[n].clone().requires_grad_(True) for n in self.names}
        if self.kind == "stm":
            self.h1, self.p = m["controller_hidden"], m["word_rows"] * m["word_cols"]
            self.tanh = m["theta_activation"] == "tanh"
            self.nearest = m["write_mode"] == "nearest"
            self.base = [torch.tensor(b, dtype=dtype).reshape(1, -1) for b in m["base"]]
            self.sampler = Sampler(m, dtype)
        else:
            self.hidden = m["hidden"]

    def segment(self, x, y, state):
        """Mean cross-entropy (nats per character) of one segment and the state after it."""
        P = self.params
        s = dict(state)
        batch, steps = x.shape[0], x.shape[1]
        total = 0.0
        for t in range(steps):
            inp = x[:, t, :]
            for l in range(self.layers):
                if self.kind == "stm":
                    inp = self.stm_step(l, inp, s)
                else:
                    h, c = lstm_cell(inp, s["s%d_h" % l], s["s%d_c" % l], P["l%dW" % l], P["l%db" % l], self.hidden)
                    s["s%d_h" % l], s["s%d_c" % l] = h, c
                    inp = h
            logits = inp @ P["outW"] + P["outb"]
            total = total + (y[:, t, :] * torch.log_softmax(logits, 1)).sum()
        return total * (-1.0 / (batch * steps)), s

    def stm_step(self, l, inp, s):
        P, k = self.params, "s%d" % l
        h1, c1 = lstm_cell(inp, s[k + "_h1"], s[k + "_c1"], P["l%d_cW" % l], P["l%d_cb" % l], self.h1)
        head = h1 @ P["l%d_thW" % l] + P["l%d_thb" % l]
        theta = (torch.tanh(head) if self.tanh else head) + self.base[l]
        mem = s["mem"]
        wy, wx = self.sampler.factors(theta, False)
        word = Sampler.read(wy, wx, mem)
        h2, cell = lstm_cell(inp, s[k + "_h2"], word, P["l%d_mW" % l], P["l%d_mb" % l], self.p)
        if self.nearest:
            wy, wx = self.sampler.factors(theta, True)
        s["mem"] = Sampler.write(wy, wx, mem, cell)
        s[k + "_h1"], s[k + "_c1"], s[k + "_h2"] = h1, c1, h2
        return h2


class Update:
    """CharTrainer's update: loss and gradients, global-norm clip, Adam with its bias-corrected learning rate."""

    def __init__(self, net, t):
        self.net = net
        self.lr, self.clip = t["learning_rate"], t["clip_norm"]
        self.b1, self.b2, self.eps = t["beta1"], t["beta2"], t["epsilon"]
        self.m = {n: torch.zeros_like(p) for n, p in net.params.items()}
        self.v = {n: torch.zeros_like(p) for n, p in net.params.items()}
        self.count = 0

    def __call__(self, x, y, state):
        params = self.net.params
        for p in params.values():
            p.grad = None
        loss, out = self.net.segment(x, y, state)
        loss.backward()
        norm2 = 0.0
        for n in self.net.names:
            norm2 += float(params[n].grad.norm()) ** 2
        scale = min(1.0, self.clip / max(1e-12, math.sqrt(norm2)))
        self.count += 1
        lr = self.lr * math.sqrt(1 - self.b2 ** self.count) / (1 - self.b1 ** self.count)
        with torch.no_grad():
            for n in self.net.names:
                g = params[n].grad * scale
                m, v = self.m[n], self.v[n]
                m.mul_(self.b1).add_(g * (1 - self.b1))
                v.mul_(self.b2).add_(g * g * (1 - self.b2))
                params[n].sub_(m / (torch.sqrt(v) + self.eps) * lr)
        return loss.item(), {k: t.detach() for k, t in out.items()}


def main():
    args, man, dtype, arrays = start(iterations=5, warmup=2)
    net = CharNet(man["model"], arrays, dtype)
    update = Update(net, man["training"])
    x, y = arrays["x"], arrays["y"]
    state = {n: arrays["in_" + n] for n in net.state_names}
    if args.mode == "step":
        losses = []
        for _ in range(man["training"]["steps"]):
            loss, state = update(x, y, state)
            losses.append(loss)
        out = {n: net.params[n] for n in net.names}
        out.update({"out_" + n: t for n, t in state.items()})
        answer(args.dir, losses, out)
        return
    carried = [state]

    def one():
        carried[0] = update(x, y, carried[0])[1]

    sec = timed(one, args.warmup, args.iterations)
    chars = x.shape[0] * x.shape[1]
    print("RESULT torch chars_per_s=%.1f ms_per_update=%.3f" % (args.iterations * chars / sec,
                                                               1e3 * sec / args.iterations))


if __name__ == "__main__":
    main()
