"""The dashboard in Debian's Chromium, driven by Playwright: open it, filter events, open a
record's document with its evidence highlighted, switch process, search; no console errors.

Set ``DETENTE_SCREENSHOT`` to a file path to keep the overview screenshot (docs/dashboard.png
is made this way).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from detente.api import Settings, create_app
from tests.api.test_uvicorn import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def test_analyst_walks_through_the_dashboard(browser, db_path, tmp_path):
    app = create_app(Settings(db=db_path, job_worker=False))
    problems: list[str] = []
    with LiveServer(app) as live:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
        outside = []
        page.on("request", lambda r: outside.append(r.url) if live.url not in r.url else None)

        page.goto(f"{live.url}/ui")
        assert page.locator("h1").inner_text() == "Russia–Ukraine war"
        page.wait_for_selector("#signal-chart .main-svg")
        assert page.locator("#key-events tbody tr").count() > 0
        shot = Path(os.environ.get("DETENTE_SCREENSHOT") or tmp_path / "dashboard.png")
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        bar = page.locator("#signal-chart .point path").first.bounding_box()
        page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
        page.wait_for_url("**/ui/events?process=russia-ukraine&since=2025-05-05&until=2025-05-11")
        assert page.locator("#events tbody tr").count() > 0
        page.goto(f"{live.url}/ui/process/russia-ukraine")

        page.click("nav >> text=Positions")
        assert "conditional" in page.locator("#moves").inner_text()

        page.click("nav >> text=Events")
        page.select_option("#f-event-type", "ASSAULT")
        page.click("#apply-filters")
        page.wait_for_url("**event_type=ASSAULT**")
        types = page.locator("#events tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.eventType)"
        )
        assert types and set(types) == {"ASSAULT"}

        link = page.locator("#events tbody tr .record-link").first
        sentence = link.inner_text().strip("“”").rstrip("…").rstrip(".")
        link.click()
        page.wait_for_selector("mark#evidence")
        marked = page.locator("mark#evidence").inner_text()
        assert marked.startswith(sentence[:40])
        assert page.locator("mark#evidence").is_visible()
        assert page.locator("#record-modality").inner_text() in ("asserted", "reported")
        assert page.locator("#record-attribution").inner_text()

        page.select_option("#process-select", "israel-hamas")
        page.wait_for_url("**/ui/process/israel-hamas")
        assert "Israel" in page.locator("h1").inner_text()

        page.fill("#search-box", "Istanbul")
        page.press("#search-box", "Enter")
        page.wait_for_url("**/ui/search?q=Istanbul")
        assert page.locator("#search-documents li").count() > 0
        page.close()
    assert problems == []
    assert outside == []
