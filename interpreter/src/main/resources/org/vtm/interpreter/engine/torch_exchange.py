"""Reader and writer of VTM's PyTorch exchange directory (org.vtm.interpreter.engine.TorchExchange).

A directory holds manifest.json (format FORMAT, dtype, the script's model and training sections, and 'arrays':
name -> {file, shape}) and one raw little-endian float64 file per array. A script answers in DIR/out: out.json
(format, losses, arrays) and one .bin per array, each written to a temporary name and renamed.
"""
import argparse
import json
import os
import struct
import sys
import time

import torch

FORMAT = "vtm.torch-exchange/1"
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def start(iterations, warmup):
    """Parses `MODE DIR [--iterations N] [--warmup W]` (MODE step or bench), sets the thread count (OMP_NUM_THREADS,
    default 1) and loads DIR: returns the arguments, the manifest, the dtype and the arrays."""
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["step", "bench"])
    p.add_argument("dir")
    p.add_argument("--iterations", type=int, default=iterations)
    p.add_argument("--warmup", type=int, default=warmup)
    args = p.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    return (args,) + load(args.dir)


def load(dirname):
    """The manifest, the torch dtype it asks for and its arrays converted to that dtype."""
    with open(os.path.join(dirname, "manifest.json")) as f:
        man = json.load(f)
    if man.get("format") != FORMAT:
        sys.exit("%s: format %r, this script reads %s" % (dirname, man.get("format"), FORMAT))
    if man.get("dtype") not in DTYPES:
        sys.exit("%s: dtype %r, expected one of %s" % (dirname, man.get("dtype"), sorted(DTYPES)))
    dtype = DTYPES[man["dtype"]]
    return man, dtype, {k: read(dirname, v, dtype) for k, v in man["arrays"].items()}


def read(dirname, spec, dtype):
    with open(os.path.join(dirname, spec["file"]), "rb") as f:
        raw = bytearray(f.read())
    t = torch.frombuffer(raw, dtype=torch.float64).reshape(spec["shape"]).clone()
    return t.to(dtype)


def write(dirname, name, tensor):
    t = tensor.detach().to(torch.float64).contiguous().reshape(-1)
    path = os.path.join(dirname, name + ".bin")
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<%dd" % t.numel(), *t.tolist()))
    os.replace(path + ".tmp", path)
    return {"file": name + ".bin", "shape": list(tensor.shape)}


def answer(dirname, losses, tensors):
    """Writes DIR/out: every tensor (float64) and out.json with the losses."""
    out = os.path.join(dirname, "out")
    os.makedirs(out, exist_ok=True)
    specs = {k: write(out, k, v) for k, v in tensors.items()}
    with open(os.path.join(out, "out.json.tmp"), "w") as f:
        json.dump({"format": FORMAT, "losses": losses, "arrays": specs}, f)
    os.replace(os.path.join(out, "out.json.tmp"), os.path.join(out, "out.json"))


def timed(step, warmup, iterations):
    """Seconds taken by `iterations` calls of step() after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(iterations):
        step()
    return time.perf_counter() - t0
