"""report.html in a real browser (issue 14): every in-page link reaches an anchor, tables fit, prose reads left.

Writes the seeds report, opens ``report.html`` from disk in Debian's headless
Chromium (the one ``make browser`` installs; see tests/test_lab_browser.py),
follows every ``#...`` link and checks that it lands on an element, checks
that the tables fit the page and that the reuse viewer's prose is
left-aligned, and saves two screenshots as test artifacts (git-ignored):
``test-artifacts/report-first-screen.png`` and ``test-artifacts/report-reuse-viewer.png``.
"""

from __future__ import annotations

import pytest

from conftest import SEEDS
from test_lab_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: Debian's chromium package "
                                                               "could not be installed here (`make browser`)")]

FIRST_SCREEN = ARTIFACTS / "report-first-screen.png"
REUSE_VIEWER = ARTIFACTS / "report-reuse-viewer.png"
#: Pixels a table may exceed the page's text column by (borders, rounding).
WIDTH_SLACK = 2


@pytest.fixture(scope="module")
def seed_report_html(tmp_path_factory):
    from analysis.report.run import run_report

    out = tmp_path_factory.mktemp("browser") / "nk-wagner-arms"
    run_report(SEEDS, out)
    return out / "report.html"


@pytest.fixture(scope="module")
def page(seed_report_html):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(seed_report_html.as_uri())
            yield page
        finally:
            browser.close()


def test_screenshots_of_the_first_screen_and_the_reuse_viewer(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(FIRST_SCREEN))
    pair = page.locator("section.pxr-pair").first
    pair.scroll_into_view_if_needed()
    page.evaluate("el => el.scrollIntoView({block: 'start'})", pair.element_handle())
    page.screenshot(path=str(REUSE_VIEWER))
    assert FIRST_SCREEN.stat().st_size > 10_000 and REUSE_VIEWER.stat().st_size > 10_000


def test_every_in_page_link_reaches_an_existing_anchor(page):
    hrefs = page.eval_on_selector_all('a[href^="#"]', "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 10  # the overlap section's pair links and the viewer's sentence links at least
    missing = []
    for href in dict.fromkeys(hrefs):
        page.evaluate("hash => { location.hash = hash; }", href)  # what a click does
        landed = page.evaluate("() => { const t = document.querySelector(':target'); return t ? t.id : null; }")
        if landed != href[1:]:
            missing.append(href)
    assert missing == [], f"links to no anchor: {missing[:10]}"
    first_pair = page.locator(".pxr-index a").first
    first_pair.click()  # a real click on the overlap section's first link lands on its pair in the appendix
    assert page.evaluate("() => document.querySelector(':target').className") == "pxr-pair"


def test_tables_fit_the_page_and_prose_is_left_aligned(page):
    column = page.evaluate("() => document.querySelector('.jp-Cell-outputWrapper, main, body').clientWidth")
    widths = page.eval_on_selector_all("table.parallax-table",
                                       "ts => ts.map(t => [t.previousElementSibling ? "
                                       "t.previousElementSibling.textContent : '', t.scrollWidth])")
    too_wide = [(caption, width) for caption, width in widths if width > column + WIDTH_SLACK]
    assert too_wide == [], f"tables wider than the page ({column} px): {too_wide}"
    aligns = page.eval_on_selector_all(".pxr p, .pxr-index li, table.parallax-table td",
                                       "els => [...new Set(els.map(e => getComputedStyle(e).textAlign))]")
    assert set(aligns) <= {"left", "start"}, aligns


def test_the_overlap_section_lists_reuse_only_and_links_the_viewer(page):
    captions = page.eval_on_selector_all("p.parallax-caption", "ps => ps.map(p => p.textContent)")
    passages = [c for c in captions if c.startswith("Shared passages counted as reuse")]
    assert len(passages) == 1  # the table is shown
    cells = page.eval_on_selector_all("p.parallax-caption + table td", "tds => tds.map(td => td.textContent.trim())")
    assert "to a media report on the" not in cells  # a trivial six-word match is not listed as reuse
    pairs = page.eval_on_selector_all(".pxr-index a", "links => links.map(a => a.getAttribute('href'))")
    sections = page.eval_on_selector_all("section.pxr-pair", "ss => ss.map(s => '#' + s.id)")
    assert pairs and pairs == sections  # one link per pair of the viewer, in the same order

