"""`python -m bench.child MARKER CMD...`: run CMD once, report its start-up time and peak RSS as JSON.

Why a separate small process: on Linux a child's peak RSS (ru_maxrss) starts
from its parent's memory at fork time, so a window started straight from the
benchmark (hundreds of MB after building the archive) would be charged the
benchmark's memory. Started from this small launcher, the figure is the
window's own; with one child, RUSAGE_CHILDREN is exactly that child.
"""

from __future__ import annotations

import json
import os
import resource
import sys

from bench.measure import _peak_mb, run_until_marker


def main(argv: list[str]) -> int:
    marker, cmd = argv[0], argv[1:]
    timeout = float(os.environ.get("BENCH_CHILD_TIMEOUT", "120"))
    run = run_until_marker(cmd, marker, dict(os.environ), timeout=timeout)
    peak = _peak_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": run.seconds, "peak_rss_mb": peak, "returncode": run.returncode,
                      "output": run.output[-2000:]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
