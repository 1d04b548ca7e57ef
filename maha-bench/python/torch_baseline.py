#!/usr/bin/env python3
"""Times the report's dense baseline attention layer with PyTorch on the same machine.

The layer is the one `dev.maha.bench.AttentionLayers.baseline` builds: Q, K, V, O projections d -> d with
bias, h heads, causal softmax attention, batch 1, float32. Forward runs without autograd; forward + backward
computes every parameter gradient and the input gradient from a fixed cotangent. Writes the JSON that
`Report --torch FILE` merges as an extra column:

    {"meta": {...}, "records": [{"n", "d", "h", "ms_fwd": {...}, "ms_fwd_bwd": {...}}]}

Optional and never run in CI. Install PyTorch with `apt-get install -y python3-torch libopenblas0-pthread`
and run it with the system Python:

    /usr/bin/python3 maha-bench/python/torch_baseline.py --out torch.json
    /usr/bin/python3 maha-bench/python/torch_baseline.py --n 256,512,1024,2048,4096,8192,16384 --shape 256x4 --out torch.json
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time

import torch
import torch.nn.functional as F


class Baseline(torch.nn.Module):
    """Dense multi-head self-attention: [B, n, d] -> [B, n, d], causal."""

    def __init__(self, width, heads):
        super().__init__()
        if width % heads != 0:
            raise ValueError(f"heads ({heads}) must divide width ({width})")
        self.heads = heads
        self.q = torch.nn.Linear(width, width)
        self.k = torch.nn.Linear(width, width)
        self.v = torch.nn.Linear(width, width)
        self.o = torch.nn.Linear(width, width)

    def forward(self, x):
        b, n, d = x.shape
        dh = d // self.heads

        def split(t):
            return t.reshape(b, n, self.heads, dh).permute(0, 2, 1, 3)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
        mask = torch.ones(n, n, dtype=torch.bool).triu(1)
        scores = scores.masked_fill(mask, float("-inf"))
        out = F.softmax(scores, dim=-1) @ v
        return self.o(out.permute(0, 2, 1, 3).reshape(b, n, d))


def repeat(action, times, seconds, max_runs=100):
    """Runs `action` at least `times` times and `seconds` long (at most `max_runs`); returns ms per run."""
    runs = []
    start = time.perf_counter()
    while len(runs) < times or (len(runs) < max_runs and time.perf_counter() - start < seconds):
        t0 = time.perf_counter()
        action()
        runs.append((time.perf_counter() - t0) * 1e3)
    return runs


def stats(runs):
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": len(runs)}


def measure(n, width, heads, warmup, repeats, seconds):
    torch.manual_seed(0)
    layer = Baseline(width, heads)
    x = torch.randn(1, n, width, requires_grad=True)
    cotangent = torch.randn(1, n, width)

    def forward():
        with torch.no_grad():
            layer(x)

    def forward_backward():
        layer(x).backward(cotangent)
        x.grad = None
        layer.zero_grad(set_to_none=True)

    repeat(forward_backward, warmup, seconds)
    repeat(forward, 1, seconds / 4)
    fwd = repeat(forward, repeats, seconds)
    fwd_bwd = repeat(forward_backward, repeats, seconds)
    return {"n": n, "d": width, "h": heads, "ms_fwd": stats(fwd), "ms_fwd_bwd": stats(fwd_bwd)}


def parse_shape(text):
    try:
        d, h = (int(v) for v in text.split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shape: expected <d>x<h> like 256x4, got '{text}'")
    if d < 1 or h < 1 or d % h != 0:
        raise argparse.ArgumentTypeError(f"--shape: heads ({h}) must be >= 1 and divide width ({d})")
    return d, h


def parse_lengths(text):
    try:
        lengths = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--n: expected comma-separated lengths, got '{text}'")
    if any(n < 1 for n in lengths):
        raise argparse.ArgumentTypeError(f"--n: lengths must be >= 1, got '{text}'")
    return lengths


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=parse_lengths, default=[256, 1024, 4096], help="lengths (default 256,1024,4096)")
    p.add_argument("--shape", type=parse_shape, action="append", help="<d>x<h>, repeatable (default 256x4)")
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2, the machine's cores)")
    p.add_argument("--warmup", type=int, default=2, help="warm-up forward + backward steps (default 2)")
    p.add_argument("--repeats", type=int, default=5, help="timed runs of each kind, at least (default 5)")
    p.add_argument("--min-seconds", type=float, default=2.0, help="each timed kind runs at least this long (default 2)")
    p.add_argument("--out", required=True, help="the JSON file to write")
    args = p.parse_args()
    if args.threads < 1 or args.warmup < 1 or args.repeats < 1 or args.min_seconds < 0:
        p.error("--threads, --warmup and --repeats must be >= 1 and --min-seconds >= 0")
    shapes = args.shape or [(256, 4)]
    torch.set_num_threads(args.threads)

    records = []
    for d, h in shapes:
        for n in args.n:
            print(f"torch baseline n={n} d={d} h={h}", file=sys.stderr, flush=True)
            records.append(measure(n, d, h, args.warmup, args.repeats, args.min_seconds))
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "machine": platform.processor() or platform.machine(),
        "command": " ".join(sys.argv),
    }
    out_dir = os.path.dirname(os.path.abspath(args.out))
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".torch-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump({"meta": meta, "records": records}, f, indent=2)
    os.replace(tmp, args.out)  # atomic: never a half-written file
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
