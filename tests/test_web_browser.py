"""The web reader in a real browser: Playwright driving Debian's chromium (no browser download)
against the reader served by uvicorn. A person's path through the sample corpus (home ->
thread -> event -> article -> entity -> search), the dropped-lines toggle, right-to-left
layout in the Nastaliq face, and hostile pages that must stay text. A screenshot of each page
type is saved under tests/artifacts/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import test_web_support as support
from test_web_support import IMG, SCRIPT

CHROMIUM = Path(os.environ.get("KHABAR_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
NASTALIQ = "Noto Nastaliq Urdu"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright (Python) is not installed")
    if not CHROMIUM.is_file():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOTS}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = support.sample_archive(support.archive_root(tmp_path_factory))
    with support.running_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = support.hostile_archive(support.archive_root(tmp_path_factory))
    with support.running_server(db) as url:
        yield url


class Watched:
    """A browser page that records every dialog (an alert that fired), uncaught script error
    and console error (a CSP violation or a missing file shows up there)."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", lambda msg: self.errors.append(msg.text)
                     if msg.type == "error" else None)

    def close(self) -> None:
        self.page.close()


def _check_urdu_page(page: Any, name: str) -> None:
    """Right to left, in Nastaliq (loaded, not a fallback), and saved as a screenshot."""
    page.wait_for_load_state("load")
    facts = page.evaluate("""async () => {
        await document.fonts.ready;
        const style = (sel) => getComputedStyle(document.querySelector(sel));
        const brand = document.querySelector('.brand').getBoundingClientRect();
        const heading = document.querySelector('main h1');
        const h1 = heading.getBoundingClientRect();
        const text = document.createRange();
        text.selectNodeContents(heading);
        const textRight = Math.max(...[...text.getClientRects()].map(r => r.right));
        const main = document.querySelector('main').getBoundingClientRect();
        return {
          html: [document.documentElement.lang, document.documentElement.dir],
          direction: style('body').direction,
          h1Direction: style('main h1').direction,
          h1Font: style('main h1').fontFamily,
          loaded: [...document.fonts].filter(f => f.status === 'loaded')
                                     .map(f => f.family.replaceAll('"', '')),
          brandRight: brand.right, brandLeft: brand.left, width: window.innerWidth,
          h1Right: h1.right, textRight: textRight,
          mainMiddle: (main.left + main.right) / 2,
        };
    }""")
    assert facts["html"] == ["ur", "rtl"], name
    assert facts["direction"] == "rtl" and facts["h1Direction"] == "rtl", name
    assert facts["h1Font"].replace('"', "").startswith(NASTALIQ), (name, facts["h1Font"])
    assert NASTALIQ in facts["loaded"], (name, facts["loaded"])
    # right-to-left layout: the site's name sits at the right, a heading's text starts at the
    # right edge of its box, in the right half of the page
    assert facts["brandLeft"] > facts["width"] / 2, name
    assert abs(facts["textRight"] - facts["h1Right"]) < 2, (name, facts)
    assert facts["textRight"] > facts["mainMiddle"], (name, facts)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _charts_drawn(page: Any) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('svg.chart rect.bar')]
        .filter(r => r.getBoundingClientRect().height > 0).length""")


def test_a_reader_browses_home_thread_event_article_entity_search(browser: Any,
                                                                 sample_url: str) -> None:
    watched = Watched(browser)
    page = watched.page
    try:
        page.goto(sample_url + "/")
        _check_urdu_page(page, "home")
        assert page.locator("a[href^='/thread/']").count() >= 12

        # a thread of two events
        page.locator("li.card:has-text('2 واقعات') a[href^='/thread/']").first.click()
        page.wait_for_url("**/thread/**")
        _check_urdu_page(page, "thread")
        assert page.locator(".event-block").count() == 2
        assert _charts_drawn(page) >= 2

        page.locator(".event-block h3 a").first.click()
        page.wait_for_url("**/event/**")
        _check_urdu_page(page, "event")
        assert _charts_drawn(page) >= 1
        assert page.locator(".claim-card").count() >= 2

        page.locator(".article-row a.title").first.click()
        page.wait_for_url("**/article/**")
        _check_urdu_page(page, "article")
        toggle = page.locator("[data-toggle-dropped]")
        dropped = page.locator(".article .dropped")
        assert dropped.count() >= 1 and not dropped.first.is_visible()
        assert toggle.get_attribute("aria-pressed") == "false"
        toggle.click()
        assert dropped.first.is_visible() and dropped.last.is_visible()
        assert toggle.get_attribute("aria-pressed") == "true"
        assert "چھپائیں" in toggle.inner_text()
        assert dropped.first.locator(".drop-reason").inner_text().strip()
        page.screenshot(path=str(SCREENSHOTS / "article-dropped-lines.png"), full_page=True)
        toggle.click()
        assert not dropped.first.is_visible()

        entity = page.locator(".article .text a.ent").first
        name = entity.inner_text()
        entity.click()
        page.wait_for_url("**/entity/**")
        _check_urdu_page(page, "entity")
        assert page.locator("table.variants td").first.inner_text()
        assert _charts_drawn(page) >= 1
        assert name in page.locator("table.variants").inner_text()

        # a name in English resolves to the entity's page; Karachi's mentions span months
        page.goto(sample_url + "/entity?name=Karachi")
        page.wait_for_url("**/entity/place%3Akarachi")
        _check_urdu_page(page, "entity-by-name")
        assert _charts_drawn(page) >= 5

        page.fill("header .search-box input[name=q]", "پیوٹن")
        page.press("header .search-box input[name=q]", "Enter")
        page.wait_for_url("**/search?**")
        _check_urdu_page(page, "search")
        assert page.locator("li.hit").count() == 5
        assert page.locator("li.hit .snippet mark").count() >= 5
        # Latin runs stay left to right inside the Urdu page
        outlet = page.locator("li.hit a.outlet bdi").first
        assert outlet.evaluate("e => getComputedStyle(e).direction") == "ltr"

        assert watched.dialogs == [] and watched.errors == []
    finally:
        watched.close()


def test_narrow_screen_keeps_one_readable_column(browser: Any, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(sample_url + "/")
        page.locator(".article-row a.title").first.click()
        page.wait_for_url("**/article/**")
        widths = page.evaluate("""() => [document.documentElement.scrollWidth,
                                          window.innerWidth]""")
        assert widths[0] <= widths[1] + 1  # nothing wider than the screen
        page.screenshot(path=str(SCREENSHOTS / "article-narrow.png"), full_page=False)
    finally:
        page.close()


def test_hostile_pages_stay_text_in_the_browser(browser: Any, hostile_url: str) -> None:
    watched = Watched(browser)
    page = watched.page
    article = f"/article/{quote(support.HOSTILE_ID, safe='')}"
    try:
        page.goto(hostile_url + "/")
        assert page.get_by_text(SCRIPT).first.is_visible()
        page.locator("a[href^='/thread/']").first.click()
        page.wait_for_url("**/thread/**")
        page.locator(".event-block h3 a").first.click()
        page.wait_for_url("**/event/**")
        assert page.get_by_text(IMG).first.is_visible()
        for url in (article, "/article/evil-2", "/entity/place:karachi",
                    "/search?q=" + quote("سائبر"), "/search?q=" + quote(SCRIPT),
                    "/search?outlet=" + quote(f"outlet{IMG}")):
            page.goto(hostile_url + url)
            page.wait_for_load_state("load")
            assert page.locator("img").count() == 0, url
            assert page.locator("script").count() == 1, url  # only the reader's own
            assert page.locator("main b").count() == 0, url
        page.goto(hostile_url + article)
        assert page.locator("h1").inner_text().endswith(SCRIPT)
        page.click("[data-toggle-dropped]")
        assert page.get_by_text(f"Share on Facebook {SCRIPT}").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "hostile-article.png"), full_page=True)
        assert watched.dialogs == [], watched.dialogs
        assert watched.errors == [], watched.errors
    finally:
        watched.close()
