#!/usr/bin/env python3
"""The learned interpreter's model and training step in PyTorch, for parity tests and benchmarks of VTM's engine.

Reads an exchange directory written by org.vtm.interpreter.engine.TorchBridge (manifest.json plus one raw
little-endian float64 file per array: the parameters lstm_W [F,4H], lstm_R [H,4H], lstm_b [4H], head_W, head_b,
optionally next_W and T0, the constant phi [S,M], and one batch x, a, y, w, mask, next), builds the same model as
InterpreterModel / the engine:

    h = LSTM(x)                      gates i, f, g, o (ND4J lstmLayer's layout; W, R transposed into torch's)
    transform head: T = T0 + s*(h W + b),  c = a T^T        direct head: c = h W + b
    next-order:     c += next Q
    values = c phi^T, loss REL = sum w*|values-y|^2  or  LOG_REL = sum mask*log(1e-10 + w*|values-y|^2)

and trains it with the Trainer's step: gradients, global-norm clipping (scale by clip/|g| when |g| > clip), Adam
(beta 0.9/0.999, eps 1e-8) with the learning rate times the warm-up scale min(1, (step+1)/warmup).

    python3 torch_interpreter.py step DIR     # runs manifest['steps'] steps; writes DIR/out/*.bin + out.json
    python3 torch_interpreter.py bench DIR --iterations N --warmup W
                                              # prints 'RESULT torch samples_per_s=<x> ms_per_step=<y>'
Run with Debian's python3-torch and OMP_NUM_THREADS=1 (the caller sets the thread count).
"""

import torch

from torch_exchange import answer, start, timed


class Interpreter(torch.nn.Module):
    def __init__(self, m, arrays, dtype):
        super().__init__()
        self.d, self.M, self.H = m["dim"], m["terms"], m["hidden"]
        self.head_kind, self.loss_kind, self.scale = m["head"], m["loss"], m["head_scale"]
        F = m["features"]
        W, R, b = arrays["lstm_W"], arrays["lstm_R"], arrays["lstm_b"]
        self.lstm = torch.nn.LSTM(F, self.H, batch_first=True).to(dtype)
        with torch.no_grad():
            self.lstm.weight_ih_l0.copy_(W.t())
            self.lstm.weight_hh_l0.copy_(R.t())
            self.lstm.bias_ih_l0.copy_(b)
            self.lstm.bias_hh_l0.zero_()
        self.lstm.bias_hh_l0.requires_grad_(False)  # ND4J's lstmLayer has one bias
        self.head_W = torch.nn.Parameter(arrays["head_W"].clone())
        self.head_b = torch.nn.Parameter(arrays["head_b"].clone())
        self.next_W = torch.nn.Parameter(arrays["next_W"].clone()) if "next_W" in arrays else None
        if self.head_kind == "transform":
            self.register_buffer("t0", arrays["T0"].reshape(1, self.M, self.M).clone())
        self.register_buffer("phiT", arrays["phi"].t().contiguous())

    def named_trainables(self):
        out = [("lstm_W", self.lstm.weight_ih_l0), ("lstm_R", self.lstm.weight_hh_l0), ("lstm_b", self.lstm.bias_ih_l0),
               ("head_W", self.head_W), ("head_b", self.head_b)]
        if self.next_W is not None:
            out.append(("next_W", self.next_W))
        return out

    def exported(self):
        """Parameters in VTM's layout."""
        out = {}
        for name, p in self.named_trainables():
            out[name] = p.t() if name in ("lstm_W", "lstm_R") else p
        return out

    def forward(self, x, a, nxt):
        d, M, H = self.d, self.M, self.H
        h, _ = self.lstm(x)
        h2 = h.reshape(-1, H)
        raw = h2 @ self.head_W + self.head_b
        if self.head_kind == "transform":
            tr = self.t0 + (self.scale * raw).reshape(-1, M, M)
            c = torch.matmul(a, tr.transpose(1, 2))
        else:
            c = raw.reshape(-1, d, M)
        if self.next_W is not None:
            c = c + (nxt.reshape(-1, self.next_W.shape[0]) @ self.next_W).reshape(-1, d, M)
        return (c.reshape(-1, M) @ self.phiT).reshape(-1, d, self.phiT.shape[1])

    def loss(self, values, y, w, mask):
        diff = values - y
        err = (diff * diff).sum((1, 2)) * w
        if self.loss_kind == "log_rel":
            return (torch.log(err + 1e-10) * mask).sum()
        return err.sum()


class Step:
    def __init__(self, model, t):
        self.model = model
        self.params = [p for _, p in model.named_trainables()]
        self.lr, self.clip, self.warmup = t["learning_rate"], t["clip_norm"], t["warmup_steps"]
        self.opt = torch.optim.Adam(self.params, lr=self.lr, betas=(t["beta1"], t["beta2"]), eps=t["epsilon"],
                                    foreach=False)
        self.count = 0

    def __call__(self, x, a, nxt, y, w, mask):
        for p in self.params:
            p.grad = None
        loss = self.model.loss(self.model(x, a, nxt), y, w, mask)
        loss.backward()
        if self.clip > 0:
            norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in self.params)).item()
            if norm > self.clip:
                for p in self.params:
                    p.grad.mul_(self.clip / norm)
        scale = min(1.0, (self.count + 1.0) / self.warmup) if self.warmup > 0 else 1.0
        for g in self.opt.param_groups:
            g["lr"] = self.lr * scale
        self.opt.step()
        self.count += 1
        return loss.item()


def main():
    args, man, dtype, arrays = start(iterations=30, warmup=3)
    model = Interpreter(man["model"], arrays, dtype)
    batch = [arrays["x"], arrays["a"], arrays.get("next"), arrays["y"], arrays["w"].reshape(-1),
             arrays["mask"].reshape(-1) if "mask" in arrays else None]
    step = Step(model, man["training"])
    if args.mode == "step":
        losses = [step(*batch) for _ in range(man["training"]["steps"])]
        answer(args.dir, losses, model.exported())
        return
    sec = timed(lambda: step(*batch), args.warmup, args.iterations)
    b = arrays["x"].shape[0]
    print("RESULT torch samples_per_s=%.1f ms_per_step=%.3f" % (args.iterations * b / sec, 1e3 * sec / args.iterations))


if __name__ == "__main__":
    main()
