"""Render the report in real headless Chromium: no console errors, every chart drawn.

Uses Chromium's own command line (``--dump-dom`` after a virtual-time budget, console
messages logged to stderr) so no driver package is needed. ``docs/report.png`` is made
from the real pipeline output on ``examples/`` by ``scripts/make_screenshot.py``, not here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from detente.report import write_report
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=10000", "--window-size=1400,3400", "--hide-scrollbars",
        *extra, page.as_uri(),
    ]  # fmt: skip
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def page_markup(dom: str) -> str:
    """The dumped DOM without script bodies (the inlined Plotly bundle names its classes)."""
    return re.sub(r"<script\b[^>]*>.*?</script>", "", dom, flags=re.S)


def chart_points(markup: str) -> dict[str, int]:
    """Number of drawn markers inside each chart container."""
    parts = re.split(r'<div class="chart[^"]*" id="chart-', markup)[1:]
    return {part.split('"', 1)[0]: len(re.findall(r'class="point\b', part)) for part in parts}


def test_report_renders_every_chart_without_console_errors(tmp_path):
    page = tmp_path / "report.html"
    write_report(peace_talks().db(), page)
    dumped = chromium(page, tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert console_messages(dumped.stderr) == []
    dom = page_markup(dumped.stdout)
    assert dom.count("js-plotly-plot") == 5
    points = chart_points(dom)
    assert set(points) == {"timeline", "activity", "signal", "dyads", "space"}
    assert all(n > 0 for k, n in points.items() if k != "activity"), points
    assert "Istanbul" in dom
    assert "<details>" in dom and "Show all" in dom  # the long timeline table is folded

    shot = tmp_path / "report.png"
    chromium(page, tmp_path / "profile2", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_report_loads_cleanly(tmp_path):
    page = tmp_path / "empty.html"
    write_report(connect(":memory:"), page)
    dumped = chromium(page, tmp_path / "profile", "--dump-dom")
    assert console_messages(dumped.stderr) == []
    markup = page_markup(dumped.stdout)
    assert "This selection holds no records" in markup
    assert "js-plotly-plot" not in markup
