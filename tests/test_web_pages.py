"""The web reader's HTML pages (FastAPI's test client): every page type on the sample corpus,
links that lead somewhere, security headers, 404 pages, hostile input and hostile pages."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

import test_web_support as support
from khabar.web import create_app
from khabar.web.app import SECURITY_HEADERS
from test_web_support import IMG, SCRIPT, TestClient


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return support.sample_archive(support.archive_root(tmp_path_factory))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return support.hostile_archive(support.archive_root(tmp_path_factory))


@pytest.fixture(scope="module")
def site(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db)) as client:
        yield client


@pytest.fixture(scope="module")
def hostile_site(hostile_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_db)) as client:
        yield client


class _Page(HTMLParser):
    """What the tests look at in a page: links, scripts, style attributes, the root element."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.styled: list[str] = []
        self.handlers: list[str] = []
        self.root: dict[str, str | None] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.root = a
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "script":
            self.scripts.append(a)
        if "style" in a:
            self.styled.append(tag)
        self.handlers += [f"{tag}.{k}" for k in a if k.startswith("on")]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _ids(db: Path, sql: str) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [r[0] for r in conn.execute(sql)]


def _page_types(client: TestClient, db: Path) -> dict[str, str]:
    """A URL of each page type on the archive ``db``."""
    thread = max(client.get("/api/threads").json(), key=lambda t: t["events"])["id"]
    event = max(client.get("/api/events").json(), key=lambda e: e["articles"])["id"]
    article = _ids(db, "SELECT id FROM articles ORDER BY rowid")[0]
    entity = _ids(db, "SELECT entity FROM mentions GROUP BY entity ORDER BY count(*) DESC")[0]
    return {"home": "/", "thread": f"/thread/{quote(thread, safe='')}",
            "event": f"/event/{quote(event, safe='')}",
            "article": f"/article/{quote(article, safe='')}",
            "entity": f"/entity/{quote(entity, safe='')}", "search": "/search?q=کراچی"}


# --------------------------------------------------------------------------- every page type


def test_every_page_type_is_urdu_right_to_left_and_strictly_secured(site: TestClient,
                                                                     sample_db: Path) -> None:
    for kind, url in _page_types(site, sample_db).items():
        response = site.get(url)
        assert response.status_code == 200, kind
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (kind, name)
        page = parse(response.text)
        assert page.root == {"lang": "ur", "dir": "rtl"}, kind
        # the CSP forbids inline script and style: the pages have none
        assert all(s.get("src", "").startswith("/static/") for s in page.scripts), kind
        assert page.styled == [] and page.handlers == [], kind
        assert 'rel="stylesheet" href="/static/style.css?v=' in response.text


def test_csp_allows_only_the_sites_own_resources() -> None:
    csp = dict(part.strip().split(" ", 1) for part in
               SECURITY_HEADERS["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'" and csp["font-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_every_link_of_the_site_leads_to_a_page(site: TestClient) -> None:
    """Crawl the whole sample site from the home page: no internal link is broken."""
    seen = {"/"}
    todo = deque(["/"])
    kinds: dict[str, int] = {}
    while todo:
        url = todo.popleft()
        response = site.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        if "text/html" not in response.headers["content-type"]:
            continue
        kind = urlsplit(url).path.split("/")[1] or "home"
        kinds[kind] = kinds.get(kind, 0) + 1
        for link in parse(response.text).links:
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or link in seen:
                continue
            if parts.path == "/search" and kinds.get("search", 0) > 10:
                continue  # outlet filters: a few are enough
            seen.add(link)
            todo.append(link)
    assert kinds["thread"] == 13 and kinds["event"] == 15 and kinds["article"] == 33
    assert kinds["entity"] > 100 and kinds["search"] >= 1


def test_home_lists_threads_events_and_articles_with_outlets_and_dates(site: TestClient) -> None:
    html = site.get("/").text
    assert "تازہ ترین سلسلے" in html and "تازہ ترین واقعات" in html
    assert html.count('href="/thread/') >= 12 and html.count('href="/event/') >= 12
    assert '<time datetime="2026-02-17">17 فروری 2026</time>' in html
    assert '<a class="outlet" href="/search?outlet=sada-tv"><bdi dir="ltr" class="ltr">sada-tv' \
           in html


def test_event_page_has_chart_articles_entities_and_claims_side_by_side(site: TestClient,
                                                                        sample_db: Path) -> None:
    html = site.get(_page_types(site, sample_db)["event"]).text
    assert html.count('<svg class="chart"') == 1 and '<rect class="bar"' in html
    assert "اعداد و شمار: کون کیا کہتا ہے" in html and 'class="claim-card"' in html
    assert "مشترک نام" in html and 'class="chip ent-' in html
    assert html.count('class="article-row"') >= 3


def test_article_page_marks_names_dates_claims_and_keeps_dropped_lines(site: TestClient,
                                                                      sample_db: Path) -> None:
    flood = _ids(sample_db, "SELECT id FROM articles WHERE title LIKE 'پاکستان: شمال مغربی%'")[0]
    html = site.get(f"/article/{flood}").text
    page = parse(html)
    assert "h2" in page.tags  # the sub-headings
    assert '<a class="ent ent-place" href="/entity/place%3Abuner"' in html
    assert '<time class="date" datetime="' in html and '<mark class="claim"' in html
    assert "data-toggle-dropped" in html and html.count('<div class="dropped"') == 4
    assert "headline of another story" in html and "کسی اور خبر کی سرخی" in html
    assert '<script src="/static/reader.js?v=' in html
    assert "نقول اور ملتی جلتی خبریں" in html


def test_article_page_lists_its_duplicates(site: TestClient, sample_db: Path) -> None:
    copy, original = _ids(sample_db, "SELECT b FROM duplicates WHERE kind = 'exact'")[0], \
        _ids(sample_db, "SELECT a FROM duplicates WHERE kind = 'exact'")[0]
    html = site.get(f"/article/{copy}").text
    assert f'href="/article/{original}"' in html and "ہو بہو نقل" in html


def test_entity_page_shows_names_spellings_chart_and_events(site: TestClient) -> None:
    html = site.get("/entity/person:vladimir-putin").text
    assert "<h1>ولادیمیر پوٹن</h1>" in html and ">Vladimir Putin</bdi>" in html
    for spelling in ("پیوٹن", "پوٹن", "ولادیمیر پوتین"):
        assert f'<td dir="auto">{spelling}</td>' in html
    assert '<svg class="chart"' in html and "2025-W20" in html
    assert "ساتھ آنے والے نام" in html and 'href="/event/' in html


def test_entity_by_name_redirects_or_lists_or_says_not_found(site: TestClient) -> None:
    response = site.get("/entity", params={"name": "پیوٹن"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/entity/person%3Avladimir-putin"
    several = site.get("/entity", params={"name": "بینک"})
    assert several.status_code == 200
    assert several.text.count('class="card"') >= 2 and "مراد ہو سکتے ہیں" in several.text
    missing = site.get("/entity", params={"name": "<b>نامعلوم</b>"})
    assert missing.status_code == 404 and "&lt;b&gt;نامعلوم&lt;/b&gt;" in missing.text


def test_search_page_results_snippets_and_filters(site: TestClient) -> None:
    html = site.get("/search", params={"q": "Putin"}).text
    assert '<span class="count">5</span> نتائج' in html and html.count('<li class="hit">') == 5
    assert "<mark>" in html
    filtered = site.get("/search", params={"q": "Putin", "outlet": "sada-tv",
                                           "from": "2025-09-01", "to": "2025-09-30"}).text
    assert filtered.count('<li class="hit">') == 1
    assert '<option value="sada-tv" selected>' in filtered
    assert 'value="2025-09-01"' in filtered
    bad = site.get("/search", params={"q": "Putin", "from": "yesterday<script>"})
    assert bad.status_code == 200 and "yesterday&lt;script&gt;" in bad.text
    assert bad.text.count('<li class="hit">') == 5


@pytest.mark.parametrize("query", [
    '"', "NEAR(", "*", "'); DROP TABLE articles; --", SCRIPT, IMG, "\x00", "x" * 3000,
    "%00", "{{ 7*7 }}", "؟"])
def test_hostile_search_input_gives_a_normal_page(site: TestClient, query: str) -> None:
    response = site.get("/search", params={"q": query, "outlet": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    if query == "{{ 7*7 }}":  # echoed as it was typed, not evaluated
        assert 'name="q" value="{{ 7*7 }}"' in response.text


def test_bad_ids_give_404_pages(site: TestClient) -> None:
    for url in ("/thread/nope", "/event/nope", "/article/nope", "/entity/nope",
                "/article/", "/no/such/page", f"/article/{quote(SCRIPT, safe='')}",
                "/static/nope.css", "/static/../app.py", "/static/%2e%2e/app.py",
                "/static/fonts/../../app.py", "/static//etc/passwd"):
        response = site.get(url)
        assert response.status_code == 404, url
        if "text/html" in response.headers["content-type"]:
            assert "یہ صفحہ موجود نہیں" in response.text
            assert parse(response.text).root == {"lang": "ur", "dir": "rtl"}
        assert "<script>alert" not in response.text


def test_static_files_are_served_from_memory_with_validators(site: TestClient) -> None:
    response = site.get("/static/style.css")
    assert response.status_code == 200 and "Noto Nastaliq Urdu" in response.text
    again = site.get("/static/style.css", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    font = site.get("/static/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2")
    assert font.headers["content-type"] == "font/woff2" and font.content[:4] == b"wOF2"
    assert site.get("/favicon.ico", follow_redirects=True).status_code == 200
    assert site.head("/").status_code == 200 and site.head("/static/reader.js").status_code == 200


def test_only_the_servers_own_names_are_answered_on_loopback(sample_db: Path) -> None:
    with TestClient(create_app(sample_db, allowed_hosts=["127.0.0.1", "localhost"]),
                    base_url="http://127.0.0.1") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


# --------------------------------------------------------------------------- hostile pages


def test_hostile_pages_show_markup_as_text_everywhere(hostile_site: TestClient,
                                                      hostile_db: Path) -> None:
    urls = _page_types(hostile_site, hostile_db)
    urls["article"] = f"/article/{quote(support.HOSTILE_ID, safe='')}"
    urls["second article"] = "/article/evil-2"
    urls["entity"] = "/entity/place:karachi"
    urls["search"] = "/search?q=" + quote("سائبر حملہ")
    urls["search for markup"] = "/search?q=" + quote(SCRIPT)
    urls["outlet"] = "/search?outlet=" + quote(f"outlet{IMG}")
    for kind, url in urls.items():
        response = hostile_site.get(url)
        assert response.status_code == 200, kind
        html = response.text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or \
               "&lt;img src=x onerror=alert(1)&gt;" in html, kind
        page = parse(html)
        assert "img" not in page.tags and page.handlers == [], kind
        assert all(s.get("src", "").startswith("/static/") for s in page.scripts), kind


def test_hostile_ids_route_and_link_back(hostile_site: TestClient) -> None:
    article = hostile_site.get(f"/api/article/{quote(support.HOSTILE_ID, safe='')}").json()
    assert article["id"] == support.HOSTILE_ID
    home = hostile_site.get("/").text
    assert f'href="/article/{quote(support.HOSTILE_ID, safe="")}"' in home
    # the dropped lines (a related link and a share line, both with markup) are text too
    html = hostile_site.get(f"/article/{quote(support.HOSTILE_ID, safe='')}").text
    assert html.count('<div class="dropped"') == 2
    assert "Share on Facebook &lt;script&gt;" in html


def test_hostile_claims_side_by_side(hostile_site: TestClient) -> None:
    event = hostile_site.get("/api/events").json()[0]
    assert event["articles"] == 2
    groups = hostile_site.get(f"/api/event/{event['id']}").json()["claims"]
    users = next(g for g in groups if g["what"] == "صارفین")
    assert users["disagree"]
    assert [c["number_text"] for c in users["claims"]] == ["600 سے زائد", "10,000"]


def test_an_empty_archive_is_a_site_too(tmp_path: Path) -> None:
    from khabar.archive import Archive

    db = tmp_path / "empty.db"
    Archive(db).close()
    with TestClient(create_app(db)) as client:
        home = client.get("/")
        assert home.status_code == 200 and "ابھی کوئی سلسلہ نہیں" in home.text
        assert client.get("/search", params={"q": "کراچی"}).status_code == 200
        assert client.get("/api/threads").json() == []
        assert client.get("/entity/place:karachi").status_code == 404
