"""Fail the build venv set-up if numpy there still links a BLAS/LAPACK library.

`make build` compiles numpy without BLAS so that no OpenBLAS (28 MB with libgfortran) lands in the
app. If meson found a system BLAS anyway, or a numpy wheel slipped back in, say so instead of
silently shipping a big app.
"""

from __future__ import annotations

import sys
from pathlib import Path


def blas_problems() -> list[str]:
    import numpy

    problems = []
    libs = Path(numpy.__file__).parent.parent / "numpy.libs"
    if libs.is_dir() and any(libs.iterdir()):
        problems.append(f"{libs} exists (numpy from a wheel with OpenBLAS)")
    config = numpy.show_config(mode="dicts")
    deps = config.get("Build Dependencies", {})
    for name in ("blas", "lapack"):
        dep = deps.get(name, {})
        if str(dep.get("found", "")).lower() in {"true", "1"}:
            problems.append(f"numpy was built with {name}: {dep.get('name')}")
    return problems


if __name__ == "__main__":
    found = blas_problems()
    if "--quiet" not in sys.argv[1:]:  # the Makefile asks quietly first: "is numpy to be compiled?"
        for line in found:
            print("check_build_env:", line, file=sys.stderr)
    sys.exit(1 if found else 0)
