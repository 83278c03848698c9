"""Regenerate ``docs/report.png`` from the real pipeline run on the project's example corpus.

The README shows this picture, so it must be what a user gets from ``examples/``, not a
report drawn from hand-built records. Runs ingest → code → report into a temporary folder
and screenshots the page in headless Chromium.

    python scripts/make_screenshot.py [--out docs/report.png] [--height 2500]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / "articles", ROOT / "examples" / "articles.jsonl"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--virtual-time-budget=10000",
]  # fmt: skip


def detente(*args: str | Path) -> None:
    command = [sys.executable, "-m", "detente.cli.main", *map(str, args)]
    subprocess.run(command, check=True, cwd=ROOT)


def screenshot(page: Path, out: Path, height: int, workdir: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs chromium on PATH")
    args = [
        chromium, *CHROMIUM_FLAGS, f"--user-data-dir={workdir / 'profile'}",
        f"--window-size=1400,{height}", f"--screenshot={out}", page.as_uri(),
    ]  # fmt: skip
    subprocess.run(args, check=True, capture_output=True, timeout=180)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--height", type=int, default=2500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db, page = work / "examples.db", work / "report.html"
        detente("ingest", *EXAMPLES, "--db", db)
        detente("code", "--db", db)
        detente("report", "--db", db, "--process", "russia-ukraine", "--out", page)
        shot = work / "report.png"
        screenshot(page, shot, args.height, work)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, args.out)
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
