"""The web reader: server-rendered pages and a JSON API over one archive, read-only.

:func:`create_app` makes the FastAPI application. Pages are Jinja2 templates with autoescaping
on; text that carries marks (names, dates, claims) is built by :mod:`khabar.web.markup`, which
escapes every piece of it. Every response carries a strict Content-Security-Policy (no inline
script or style), and static files are served from memory (read once from the package at start),
so no path from a request reaches the file system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

import anyio
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar import __version__
from khabar.web import models, queries
from khabar.web.charts import Bucket, bar_chart
from khabar.web.db import ConnectionPool
from khabar.web.markup import format_date, marks_for, path_quote, render_marked
from khabar.web.snippets import render_snippet

__all__ = ["SECURITY_HEADERS", "create_app"]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".woff2": "font/woff2", ".svg": "image/svg+xml", ".md": "text/plain; charset=utf-8",
                ".txt": "text/plain; charset=utf-8"}
#: Route options of pages and files: GET and HEAD, not in the API's OpenAPI document.
_FILE: dict[str, Any] = {"methods": ["GET", "HEAD"], "include_in_schema": False}
_PAGE: dict[str, Any] = {**_FILE, "response_class": HTMLResponse}
_RTL_LANGUAGES = {"ur", "fa", "ar", "ps", "sd", "pa"}


class _SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (a plain ASGI middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _StaticFiles:
    """The package's static files, read once into memory: name -> (bytes, type, etag)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str, str]] = {}
        root = resources.files("khabar.web") / "static"
        self._walk(root, "")

    def _walk(self, folder: Any, prefix: str) -> None:
        for entry in folder.iterdir():
            name = prefix + entry.name
            if entry.is_dir():
                self._walk(entry, name + "/")
            elif not entry.name.startswith("."):
                body = entry.read_bytes()
                suffix = Path(entry.name).suffix
                media = _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(entry.name)[0]
                etag = hashlib.blake2b(body, digest_size=8).hexdigest()
                self.files[name] = (body, media or "application/octet-stream", etag)

    def url(self, name: str) -> str:
        """The URL of a static file, versioned by its content (so it can be cached long)."""
        return f"/static/{name}?v={self.files[name][2]}"


def _templates(static: _StaticFiles) -> Environment:
    env = Environment(loader=PackageLoader("khabar.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["static"] = static.url
    env.globals["version"] = __version__
    env.filters["date"] = format_date
    env.filters["path"] = path_quote
    env.filters["chart"] = _chart
    env.filters["snippet"] = lambda hit: render_snippet(hit["snippet"], hit["highlights"])
    env.filters["text_dir"] = lambda lang: "rtl" if (lang or "ur") in _RTL_LANGUAGES else "ltr"
    return env


def _chart(coverage: dict[str, Any], title: str, value_label: str = "") -> Markup:
    """A view's coverage (``per_day``, ``per_week``) as an SVG bar chart (a template filter)."""
    buckets = [Bucket(dt.date.fromisoformat(b["start"]), b["label"], b["count"])
               for b in coverage["buckets"]]
    return bar_chart(buckets, title=title, value_label=value_label)


def path_id(request: Request, prefix: str, value: str) -> str:
    """The id at the end of the request's path after ``prefix``, decoded once from the raw
    path (an id may hold ``/`` or ``%2F``; servers and test clients differ in how often they
    decode ``scope["path"]``); ``value`` when there is no raw path."""
    raw = request.scope.get("raw_path")
    if raw:
        raw = raw.split(b"?", 1)[0]
        if raw.startswith(prefix.encode()):
            return unquote_to_bytes(raw[len(prefix):]).decode("utf-8", "replace")
    return value


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """A pooled read-only connection for the time of one request."""
    with request.app.state.pool.connection() as conn:
        yield conn


Conn = Annotated[sqlite3.Connection, Depends(get_conn)]


def _article_page(view: dict[str, Any]) -> dict[str, Any]:
    """What the article template needs beyond the view: the title and blocks with their marks
    as HTML, and the dropped lines in the place they had on the page."""
    data = view["data"]
    title = (data.get("title") or {}).get("text") or ""
    flow: list[tuple[float, int, dict[str, Any]]] = []
    for i, block in enumerate(view["blocks"]):
        html = render_marked(block["text"], marks_for(data, "block", i, block["text"]))
        flow.append((min(block.get("lines") or [float(i)]), len(flow),
                     {"type": "block", "kind": block["kind"], "html": html}))
    for drop in view["dropped"]:
        flow.append((min(drop.get("lines") or [float("inf")]), len(flow),
                     {"type": "dropped", **drop}))
    flow.sort(key=lambda item: (item[0], item[1]))
    by_type: dict[str, list[dict[str, Any]]] = {}
    meta_only = []
    for entity in view["entities"]:
        in_text = [m for m in entity["mentions"] if m.get("part") != "meta"]
        row = {**entity, "count": len(in_text)}
        if in_text:
            by_type.setdefault(entity["type"], []).append(row)
        else:
            meta_only.append(row)
    for rows in by_type.values():
        rows.sort(key=lambda e: (-e["count"], e["name_ur"]))
    return {
        "title_html": render_marked(title, marks_for(data, "title", None, title)),
        "flow": [item for _, _, item in flow],
        "entities_by_type": by_type,
        "meta_entities": meta_only,
    }


def create_app(db_path: str | Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The reader over the archive at ``db_path`` (opened read-only; raises
    :class:`khabar.archive.ArchiveError` when it cannot be). ``allowed_hosts``: the Host
    headers to answer (the server on 127.0.0.1 passes its loopback names, which stops DNS
    rebinding); None answers any."""
    pool = ConnectionPool(db_path)
    static = _StaticFiles()
    env = _templates(static)

    def warm_up() -> None:
        """Compile the templates and load what search needs (the gazetteer) before the first
        request, so that no reader waits for it."""
        for name in env.list_templates():
            env.get_template(name)
        with pool.connection() as conn:
            queries.search_view(conn, "پاکستان", limit=1)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(warm_up)
        yield
        pool.close()

    app = FastAPI(title="khabar reader", version=__version__, lifespan=lifespan,
                  description="Read-only JSON API of a khabar archive of Urdu news: story "
                              "threads, events, articles with their facts, entities, search.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.pool = pool
    app.add_middleware(_SecurityHeaders)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    def page(template: str, status_code: int = 200, /, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status_code)

    def not_found(what: str) -> HTTPException:
        return HTTPException(status_code=404, detail=f"no such {what}")

    # ------------------------------------------------------------------ errors

    def _is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return page("error.html", exc.status_code, status=exc.status_code, query="",
                    detail=exc.detail if exc.status_code != 404 else None)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        return page("error.html", 400, status=400, query="", detail=None)

    # ------------------------------------------------------------------ static files

    @app.api_route("/static/{name:path}", **_FILE)
    def static_file(name: str, request: Request) -> Response:
        found = static.files.get(name)
        if found is None:
            raise not_found("file")
        body, media, etag = found
        headers = {"ETag": f'"{etag}"', "Cache-Control": "public, max-age=604800"}
        if request.headers.get("if-none-match") == f'"{etag}"':
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media, headers=headers)

    @app.api_route("/favicon.ico", **_FILE)
    def favicon() -> Response:
        return RedirectResponse(static.url("favicon.svg"), status_code=301)

    # ------------------------------------------------------------------ pages

    @app.api_route("/", **_PAGE)
    def home(conn: Conn) -> HTMLResponse:
        return page("home.html", query="", counts=queries.counts(conn),
                    threads=queries.latest_threads(conn, 12),
                    events=queries.latest_events(conn, 12),
                    articles=queries.latest_articles(conn, 12),
                    outlets=queries.outlets(conn))

    @app.api_route("/thread/{thread_id:path}", **_PAGE)
    def thread_page(thread_id: str, request: Request, conn: Conn) -> HTMLResponse:
        thread_id = path_id(request, "/thread/", thread_id)
        view = queries.thread_view(conn, thread_id)
        if view is None:
            raise not_found("thread")
        return page("thread.html", query="", thread=view)

    @app.api_route("/event/{event_id:path}", **_PAGE)
    def event_page(event_id: str, request: Request, conn: Conn) -> HTMLResponse:
        event_id = path_id(request, "/event/", event_id)
        view = queries.event_view(conn, event_id)
        if view is None:
            raise not_found("event")
        return page("event.html", query="", event=view)

    @app.api_route("/article/{article_id:path}", **_PAGE)
    def article_page(article_id: str, request: Request, conn: Conn) -> HTMLResponse:
        article_id = path_id(request, "/article/", article_id)
        view = queries.article_view(conn, article_id)
        if view is None:
            raise not_found("article")
        return page("article.html", query="", article=view, **_article_page(view))

    @app.api_route("/entity", **_PAGE)
    def entity_by_name(conn: Conn, name: str = "") -> Response:
        found = queries.resolve_entity(conn, name)
        if len(found) == 1:
            return RedirectResponse(f"/entity/{path_quote(found[0]['id'])}", status_code=303)
        return page("entities.html", 200 if found else 404, query="", name=name[:200],
                    entities=found)

    @app.api_route("/entity/{entity_id:path}", **_PAGE)
    def entity_page(entity_id: str, request: Request, conn: Conn) -> HTMLResponse:
        entity_id = path_id(request, "/entity/", entity_id)
        view = queries.entity_view(conn, entity_id)
        if view is None:
            raise not_found("entity")
        return page("entity.html", query="", entity=view)

    @app.api_route("/search", **_PAGE)
    def search_page(conn: Conn, q: str = "", outlet: str = "",
                    date_from: Annotated[str, Query(alias="from")] = "",
                    date_to: Annotated[str, Query(alias="to")] = "") -> HTMLResponse:
        start, end = queries.valid_day(date_from), queries.valid_day(date_to)
        result = queries.search_view(conn, q, outlet=outlet or None, date_from=start,
                                     date_to=end, limit=50)
        bad_dates = [d for d, ok in ((date_from, start), (date_to, end)) if d and not ok]
        return page("search.html", query=result["query"], result=result,
                    outlets=queries.outlets(conn), bad_dates=bad_dates,
                    date_from=start or "", date_to=end or "")

    # ------------------------------------------------------------------ API

    @app.get("/api/threads", response_model=list[models.ThreadSummary], tags=["stories"])
    def api_threads(conn: Conn, limit: Annotated[int, Query(ge=1, le=1000)] = 100
                    ) -> list[dict[str, Any]]:
        """Story threads, the latest first."""
        return queries.latest_threads(conn, limit)

    @app.get("/api/events", response_model=list[models.EventSummary], tags=["stories"])
    def api_events(conn: Conn, limit: Annotated[int, Query(ge=1, le=1000)] = 100
                   ) -> list[dict[str, Any]]:
        """Events (one happening across outlets), the latest first."""
        return queries.latest_events(conn, limit)

    @app.get("/api/thread/{thread_id:path}", response_model=models.ThreadDetail,
             tags=["stories"])
    def api_thread(thread_id: str, request: Request, conn: Conn) -> dict[str, Any]:
        """A thread: its events and articles in time order, coverage per day, shared entities
        and claims side by side."""
        thread_id = path_id(request, "/api/thread/", thread_id)
        view = queries.thread_view(conn, thread_id)
        if view is None:
            raise not_found("thread")
        return view

    @app.get("/api/event/{event_id:path}", response_model=models.EventDetail, tags=["stories"])
    def api_event(event_id: str, request: Request, conn: Conn) -> dict[str, Any]:
        """An event: its articles in time order, coverage per day, shared entities and claims
        side by side."""
        event_id = path_id(request, "/api/event/", event_id)
        view = queries.event_view(conn, event_id)
        if view is None:
            raise not_found("event")
        return view

    @app.get("/api/article/{article_id:path}", response_model=models.ArticleDetail,
             tags=["articles"])
    def api_article(article_id: str, request: Request, conn: Conn) -> dict[str, Any]:
        """An article: clean text, dropped lines with reasons, metadata, facts, its event and
        its duplicates."""
        article_id = path_id(request, "/api/article/", article_id)
        view = queries.article_view(conn, article_id)
        if view is None:
            raise not_found("article")
        return view

    @app.get("/api/entity/{entity_id:path}", response_model=models.EntityDetail,
             tags=["entities"])
    def api_entity(entity_id: str, request: Request, conn: Conn) -> dict[str, Any]:
        """An entity: names, spellings with counts, mentions per week, co-occurring entities,
        events and the articles that name it."""
        entity_id = path_id(request, "/api/entity/", entity_id)
        view = queries.entity_view(conn, entity_id)
        if view is None:
            raise not_found("entity")
        return view

    @app.get("/api/entities", response_model=list[models.EntitySummary], tags=["entities"])
    def api_entities(conn: Conn, name: Annotated[str, Query(max_length=500)]
                     ) -> list[dict[str, Any]]:
        """The entities a name denotes (Urdu in any spelling, or English)."""
        return queries.resolve_entity(conn, name)

    @app.get("/api/search", response_model=models.SearchResults, tags=["search"])
    def api_search(conn: Conn, q: str = "", outlet: str | None = None,
                   date_from: Annotated[str | None, Query(alias="from")] = None,
                   date_to: Annotated[str | None, Query(alias="to")] = None,
                   limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
        """Spelling-tolerant full-text search (``Putin``, ``پوٹن`` and ``پیوٹن`` find the same
        articles), filtered by outlet and publication dates (``from``/``to``, ISO days)."""
        for value in (date_from, date_to):
            if value and not queries.valid_day(value):
                raise HTTPException(status_code=422, detail=f"not an ISO date: {value[:40]!r}")
        return queries.search_view(conn, q, outlet=outlet, date_from=date_from,
                                   date_to=date_to, limit=limit)

    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Validation errors without the offending input (it may be large or hostile)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()]

