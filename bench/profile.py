"""py-spy on our processes during a benchmark phase: the collapsed stacks, and their top frames.

`record(pids, seconds, into)` samples each process without pausing it (--nonblocking), only
the thread holding the GIL (--gil: where the Python CPU goes, not threads waiting in C), and
writes py-spy's raw (collapsed) format; `top_frames` reads one back as text: per function the
share of samples where it is the innermost frame (self) and where it is on the stack (total).
Needs ptrace rights (root, or kernel.yama.ptrace_scope = 0).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if found is None:
        raise SystemExit("py-spy is not installed: pip install -e '.[dev]'")
    return found


def record(pids: dict[str, int], seconds: int, into: Path) -> list[subprocess.Popen[bytes]]:
    """Start py-spy on every pid (name -> pid) for `seconds`; wait on the returned processes."""
    into.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                py_spy(),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                "200",
                "--nonblocking",
                "--format",
                "raw",
                "-o",
                str(into / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]


def top_frames(raw: Path, count: int = 15) -> list[str]:
    """The `count` functions with the most self samples, as `self% total% function` lines."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        if not (match := _LINE.match(line)):
            continue
        frames, n = match["stack"].split(";"), int(match["count"])
        samples += n
        own[_short(frames[-1])] += n
        for frame in {_short(f) for f in frames}:
            total[frame] += n
    if not samples:
        return ["(no samples)"]
    return [
        f"{100 * n / samples:5.1f}% {100 * total[frame] / samples:5.1f}%  {frame}"
        for frame, n in own.most_common(count)
    ]


def _short(frame: str) -> str:
    """`func (path/to/site-packages/pkg/mod.py:12)` -> `func (pkg/mod.py)`."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "python3.11/", "wt-i16a/", "main/"):
        path = path.rsplit(marker, 1)[-1]
    return f"{name} ({path})" if path else name
