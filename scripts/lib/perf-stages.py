#!/usr/bin/env python3
"""Splits the API's CPU samples (perf script output on stdin) by where the time went, for scripts/lib/bench-profile.sh.

Async code resumes on whichever thread completes what it awaited, so a method's samples "with children" hold the rest of
the request too, and an outer frame does not tell a request's stage. Work beside the requests (the projector, the ledger
worker, webhooks) is named wherever its frame is; any other sample goes under the innermost frame that names a part, past
the kernel, libc, the runtime and the base library. Prints one line per part: its share of the samples and, given the
API's CPU µs per request, its µs per request.

Usage: perf script -F comm,tid,ip,sym,dso -i DATA | perf-stages.py API_US_PER_REQUEST
"""
import re
import sys
from collections import Counter

# Work beside the requests, named wherever its frame is in the stack (their own tasks, which complete no request's).
BESIDE = [
    ("ledger worker and anchors (beside)", r"AssetLedger\.(Infrastructure|Ledger)\.[\w.]*(LedgerWorker|Merkle|Checkpoint|Anchor|Witness|Tile)"),
    ("projections (beside)", r"AssetLedger\.Projections\.(?!Trace)[\w.]*(Projection|Projector|Runner)"),
    ("webhooks (beside)", r"AssetLedger\.[\w.]*Webhook"),
]
# The parts a request's own work falls in, tried on each frame from the leaf up, past the kernel, the runtime, libc and the
# base library (which run on every part's behalf): the first frame that matches one decides.
PARTS = [
    ("JSON (System.Text.Json)", r"System\.Text\.Json|System\.Text\.Encodings\.Web"),
    ("JWT and signatures (IdentityModel, crypto)", r"Microsoft\.IdentityModel|System\.IdentityModel|JwtBearer|libcrypto|System\.Security\.Cryptography|libsodium|NSec"),
    ("PostgreSQL client (Npgsql)", r"\[Npgsql\]|Npgsql\."),
    ("logging and telemetry", r"Microsoft\.Extensions\.Logging|OpenTelemetry|System\.Diagnostics\.(Metrics|Activity|DiagnosticSource)"),
    ("HTTP server (Kestrel, routing, middleware)", r"Microsoft\.AspNetCore|Microsoft\.Extensions\.|Microsoft\.Net\.Http\.Headers|Swashbuckle"),
    ("sockets and the I/O loop (System.Net)", r"System\.Net\.|libSystem\.Native"),
    ("deciding (Domain)", r"AssetLedger\.Domain\."),
    ("AssetLedger's request code (Api, Application, Infrastructure, Projections)", r"AssetLedger\."),
]
BESIDE_RE = [(name, re.compile(p)) for name, p in BESIDE]
PARTS_RE = [(name, re.compile(p)) for name, p in PARTS]
KERNEL = re.compile(r"\[kernel\.kallsyms\]")
BASE = re.compile(r"System\.Private\.CoreLib|System\.Collections|System\.Linq|System\.Memory|System\.Runtime|System\.Threading")


def leaf_kind(frames):
    f = frames[0]
    if KERNEL.search(f):
        return "kernel"
    if "libclrjit.so" in f:
        return "JIT"
    if "libcoreclr.so" in f or "stub " in f:
        return "runtime"
    if "libc.so" in f or "ld-linux" in f or "[vdso]" in f:
        return "libc"
    return "managed"


def classify(frames):
    """frames: leaf first. Returns the part of the sample."""
    for name, p in BESIDE_RE:
        if any(p.search(f) for f in frames):
            return name
    if "libclrjit.so" in frames[0]:
        return "JIT compiler"
    base = False
    for f in frames:
        for name, p in PARTS_RE:
            if p.search(f):
                return name
        base = base or bool(BASE.search(f))
    if base:
        return "async, thread pool and base library (no other caller named)"
    user = [f for f in frames if not KERNEL.search(f)]
    if user and re.search(r"__send|__libc_recv|__libc_send|recv|sendmsg", user[0]):
        return "socket send and receive (the unwinding stops in libc)"
    if any(re.search(r"sched_yield|futex|LowLevelLifoSemaphore|epoll_wait", f) for f in frames):
        return "threads waiting and waking"
    if any("libcoreclr.so" in f or "stub " in f for f in frames):
        return "runtime: GC, stubs (no managed caller named)"
    return "other"


def main():
    api_us = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    parts, kinds = Counter(), Counter()
    frames = []

    def count():
        parts[classify(frames)] += 1
        kinds[leaf_kind(frames)] += 1

    for line in sys.stdin:
        if line.startswith("\t") or line.startswith(" "):
            frames.append(line.strip())
        elif frames:
            count()
            frames = []
    if frames:
        count()
    samples = sum(parts.values())
    total = samples or 1
    print(f"   API CPU by part ({samples} samples; us per request at {api_us:.0f} us of API CPU per request), each with the kernel,")
    print("   runtime and base-library time it called:")
    for name, n in parts.most_common():
        print(f"     {100.0 * n / total:5.1f} %  {api_us * n / total:6.0f} us  {name}")
    print("   where the samples' leaves were: " + ", ".join(f"{k} {100.0 * n / total:.1f} %" for k, n in kinds.most_common()))


if __name__ == "__main__":
    main()
