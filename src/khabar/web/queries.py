"""The web reader's read-only queries: plain dicts shaped like the API's response models.

Built on the archive's own readers (:func:`khabar.profiles.entity_profiles`,
:func:`khabar.search.build_query`); what only the reader needs (summaries of threads and
events with their outlets, coverage per day, claims side by side, mentions per week, search
with filters) is here. Lists are aggregated in one query each rather than one per row.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from typing import Any

import regex

from khabar.profiles import entity_profiles
from khabar.search import (
    MAX_QUERY_CHARS,
    SearchError,
    plan_query,
    rank,
    resolve_names,
    snippets,
)
from khabar.urdu import key
from khabar.web.charts import timeline
from khabar.web.snippets import display_snippet

__all__ = [
    "article_view", "counts", "entity_view", "event_view", "latest_articles", "latest_events",
    "latest_threads", "outlets", "resolve_entity", "search_view", "thread_view",
]

_ISO_DAY = regex.compile(r"\d{4}-\d{2}-\d{2}")
_MARKED = regex.compile("\x01(.*?)\x02", regex.DOTALL)  # the words FTS5's snippet() marked


def _outlets(joined: str | None) -> list[str]:
    """The outlets of a ``json_group_array(DISTINCT outlet)``."""
    return sorted(o for o in json.loads(joined or "[]") if o)


# --------------------------------------------------------------------------- lists


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT outlet) FROM articles), "
        "(SELECT count(*) FROM events), (SELECT count(*) FROM threads), "
        "(SELECT count(*) FROM entities)").fetchone()
    return dict(zip(("articles", "outlets", "events", "threads", "entities"), row, strict=True))


def outlets(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [{"outlet": o, "articles": n} for o, n in conn.execute(
        "SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL "
        "GROUP BY outlet ORDER BY count(*) DESC, outlet")]


_ARTICLE_COLUMNS = "a.id, a.title, a.outlet, a.published, a.language"


def _article_ref(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "outlet": row[2], "published": row[3],
            "language": row[4]}


def latest_articles(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    return [_article_ref(r) for r in conn.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles a "
        "ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC LIMIT ?", (limit,))]


_EVENT_SUMMARY = (
    "SELECT e.id, e.thread, e.title, e.first, e.last, count(a.id), "
    "json_group_array(DISTINCT a.outlet) FROM events e "
    "LEFT JOIN article_events ae ON ae.event = e.id LEFT JOIN articles a ON a.id = ae.article ")


def _event_summary(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "thread": row[1], "title": row[2], "first": row[3], "last": row[4],
            "articles": row[5], "outlets": _outlets(row[6])}


def latest_events(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    return [_event_summary(r) for r in conn.execute(
        _EVENT_SUMMARY + "GROUP BY e.id ORDER BY e.last IS NULL, e.last DESC, e.id LIMIT ?",
        (limit,))]


_THREAD_SUMMARY = (
    "SELECT t.id, t.title, min(e.first), max(e.last), count(DISTINCT e.id), count(a.id), "
    "json_group_array(DISTINCT a.outlet) FROM threads t "
    "LEFT JOIN events e ON e.thread = t.id LEFT JOIN article_events ae ON ae.event = e.id "
    "LEFT JOIN articles a ON a.id = ae.article ")


def _thread_summary(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "title": row[1], "first": row[2], "last": row[3], "events": row[4],
            "articles": row[5], "outlets": _outlets(row[6])}


def latest_threads(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    return [_thread_summary(r) for r in conn.execute(
        _THREAD_SUMMARY + "GROUP BY t.id ORDER BY max(e.last) IS NULL, max(e.last) DESC, "
        "count(a.id) DESC, t.id LIMIT ?", (limit,))]


# --------------------------------------------------------------------------- events, threads


def _articles_of(conn: sqlite3.Connection, where: str, args: tuple[Any, ...]
                 ) -> list[dict[str, Any]]:
    """Articles of a set of events (``where`` selects from article_events ae), in time
    order, each with its event."""
    return [{**_article_ref(r), "event": r[5]} for r in conn.execute(
        f"SELECT {_ARTICLE_COLUMNS}, ae.event FROM article_events ae "
        f"JOIN articles a ON a.id = ae.article WHERE {where} "
        "ORDER BY a.published IS NULL, a.published, a.rowid", args)]


def _per_day(articles: list[dict[str, Any]]) -> dict[str, Any]:
    days: dict[str, int] = defaultdict(int)
    for a in articles:
        if a["published"]:
            days[a["published"][:10]] += 1
    buckets, unit = timeline(days, "day")
    return {"unit": unit, "buckets": [{"start": b.start.isoformat(), "label": b.label,
                                       "count": b.count} for b in buckets],
            "undated": sum(1 for a in articles if not a["published"])}


def _shared_entities(conn: sqlite3.Connection, ids: list[str], limit: int = 30
                     ) -> list[dict[str, Any]]:
    """Entities named in the text of these articles, most articles first, with how many
    articles and outlets name each."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [{"id": r[0], "type": r[1], "name_en": r[2], "name_ur": r[3], "articles": r[4],
             "outlets": r[5]} for r in conn.execute(
        "SELECT e.id, e.type, e.name_en, e.name_ur, count(DISTINCT m.article), "
        "count(DISTINCT a.outlet) FROM mentions m JOIN entities e ON e.id = m.entity "
        f"JOIN articles a ON a.id = m.article WHERE m.article IN ({marks}) "
        "AND m.part != 'meta' GROUP BY e.id "
        "ORDER BY count(DISTINCT m.article) DESC, count(*) DESC, e.id LIMIT ?",
        (*ids, limit))]


def _claim_group_key(claim: dict[str, Any]) -> str:
    """What a claim counts, for putting claims side by side: the first word of the counted
    thing's matching key (``افراد``, ``ڈالر``), else its unit (``%``), else "" (numbers of no
    known kind, such as a toll in a headline, shown together at the end)."""
    what = key(claim.get("what") or "").split()
    if what:
        return what[0]
    return claim.get("unit") or ""


def _claims_by_article(conn: sqlite3.Connection, articles: list[dict[str, Any]],
                       most: int = 300) -> dict[str, list[dict[str, Any]]]:
    """The numeric claims of (at most the ``most`` latest of) these articles, in one query;
    a number the title repeats from the text is kept once."""
    by_id = {a["id"]: a for a in articles[-most:]}
    if not by_id:
        return {}
    marks = ",".join("?" * len(by_id))
    out: dict[str, list[dict[str, Any]]] = {}
    for aid, raw in conn.execute(
            f"SELECT id, json_extract(data, '$.claims') FROM articles WHERE id IN ({marks})",
            tuple(by_id)):
        a = by_id[aid]
        seen = set()
        for c in json.loads(raw or "[]"):
            same = (c.get("number_text"), c.get("what"))
            if same in seen:
                continue
            seen.add(same)
            out.setdefault(aid, []).append({
                "article": aid, "title": a["title"], "outlet": a["outlet"],
                "published": a["published"], "text": c.get("text"),
                "number_text": c.get("number_text"), "value": c.get("value"),
                "approximate": bool(c.get("approximate")), "what": c.get("what"),
                "unit": c.get("unit"),
                "sources": [{"text": s.get("text"), "entity": s.get("entity")}
                            for s in c.get("sources") or [] if s.get("text")]})
    return out


def _side_by_side(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims grouped by what they count, groups told by more articles first, each saying
    whether its numbers disagree; when no group is told by two articles, the first few."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        groups[_claim_group_key(claim)].append(claim)
    out = []
    for name, members in groups.items():
        members.sort(key=lambda c: (c["value"] is None, c["value"] or 0, c["published"] or ""))
        values = {c["value"] for c in members if c["value"] is not None}
        out.append({"what": name, "claims": members,
                    "articles": len({c["article"] for c in members}),
                    "disagree": bool(name) and len(values) > 1})
    # numbers told by several articles first; numbers of no known kind last
    out.sort(key=lambda g: (not g["what"], -g["articles"], -len(g["claims"]), g["what"]))
    shared = [g for g in out if g["articles"] > 1 or not g["what"]]
    return shared if any(g["what"] for g in shared) else out[:8]


def event_view(conn: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(_EVENT_SUMMARY + "WHERE e.id = ? GROUP BY e.id", (event_id,)).fetchone()
    if row is None:
        return None
    event = _event_summary(row)
    articles = _articles_of(conn, "ae.event = ?", (event_id,))
    thread = conn.execute("SELECT id, title FROM threads WHERE id = ?",
                          (event["thread"],)).fetchone()
    return {**event, "thread_title": thread[1] if thread else None,
            "article_list": articles, "per_day": _per_day(articles),
            "entities": _shared_entities(conn, [a["id"] for a in articles]),
            "claims": _side_by_side([c for cs in _claims_by_article(conn, articles).values()
                                     for c in cs])}


def thread_view(conn: sqlite3.Connection, thread_id: str) -> dict[str, Any] | None:
    row = conn.execute(_THREAD_SUMMARY + "WHERE t.id = ? GROUP BY t.id",
                       (thread_id,)).fetchone()
    if row is None:
        return None
    thread = _thread_summary(row)
    events = [_event_summary(r) for r in conn.execute(
        _EVENT_SUMMARY + "WHERE e.thread = ? GROUP BY e.id ORDER BY e.first IS NULL, e.first, "
        "e.id", (thread_id,))]
    articles = _articles_of(conn, "ae.event IN (SELECT id FROM events WHERE thread = ?)",
                            (thread_id,))
    by_article = _claims_by_article(conn, articles)
    claims = []
    for event in events:  # numbers compare within one happening, not across a thread
        of_event = [c for a in articles if a["event"] == event["id"]
                    for c in by_article.get(a["id"], [])]
        for group in _side_by_side(of_event):
            claims.append({**group, "event": event["id"], "event_title": event["title"]})
    return {**thread, "event_list": events, "article_list": articles,
            "per_day": _per_day(articles),
            "entities": _shared_entities(conn, [a["id"] for a in articles]),
            "claims": claims}


# --------------------------------------------------------------------------- articles


def article_view(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.dateline, a.byline, a.agencies, "
        "a.language, a.data, p.source, p.url, p.format, p.encoding FROM articles a "
        "JOIN pages p ON p.rowid = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[8])
    event = conn.execute(_EVENT_SUMMARY + "WHERE e.id = (SELECT event FROM article_events "
                         "WHERE article = ?) GROUP BY e.id", (article_id,)).fetchone()
    duplicates = [
        {"id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "language": r[4],
         "kind": r[5], "similarity": r[6], "original": bool(r[7])}
        for r in conn.execute(
            f"SELECT {_ARTICLE_COLUMNS}, d.kind, d.similarity, d.a = a.id FROM duplicates d "
            "JOIN articles a ON a.id = CASE WHEN d.a = ? THEN d.b ELSE d.a END "
            "WHERE d.a = ? OR d.b = ? ORDER BY d.similarity DESC, a.id",
            (article_id, article_id, article_id))]
    return {
        "id": row[0], "title": row[1], "outlet": row[2], "published": row[3],
        "dateline": row[4], "byline": row[5], "agencies": json.loads(row[6] or "[]"),
        "language": row[7], "source": row[9], "url": row[10], "format": row[11],
        "encoding": row[12], "blocks": data.get("blocks", []),
        "dropped": data.get("dropped", []), "entities": data.get("entities", []),
        "dates": data.get("dates", []), "claims": data.get("claims", []),
        "quotes": data.get("quotes", []), "event": _event_summary(event) if event else None,
        "duplicates": duplicates, "data": data,
    }


# --------------------------------------------------------------------------- entities


def entity_view(conn: sqlite3.Connection, entity_id: str, *, articles: int = 40
                ) -> dict[str, Any] | None:
    if conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is None:
        return None
    profile = next((p for p in entity_profiles(conn, entity_id, top=16)
                    if p["id"] == entity_id), None)
    if profile is None:
        return None
    days = dict(conn.execute(
        "SELECT a.published, count(*) FROM mentions m JOIN articles a ON a.id = m.article "
        "WHERE m.entity = ? AND a.published IS NOT NULL GROUP BY a.published", (entity_id,)))
    buckets, unit = timeline(days, "week")
    undated = conn.execute(
        "SELECT count(DISTINCT a.id) FROM mentions m JOIN articles a ON a.id = m.article "
        "WHERE m.entity = ? AND a.published IS NULL", (entity_id,)).fetchone()[0]
    recent = [{**_article_ref(r), "mentions": r[5]} for r in conn.execute(
        f"SELECT {_ARTICLE_COLUMNS}, count(*) FROM mentions m JOIN articles a "
        "ON a.id = m.article WHERE m.entity = ? GROUP BY a.id "
        "ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC LIMIT ?",
        (entity_id, articles))]
    return {
        **{k: profile[k] for k in ("id", "type", "name_en", "name_ur", "mentions",
                                   "articles", "first", "last", "cooccurring", "events")},
        "variants": [{"text": v, "count": n} for v, n in profile["variants"].items()],
        "outlets": [{"outlet": o, "articles": n} for o, n in profile["outlets"].items()],
        "per_week": {"unit": unit, "buckets": [
            {"start": b.start.isoformat(), "label": b.label, "count": b.count}
            for b in buckets], "undated": undated},
        "article_list": recent,
    }


def resolve_entity(conn: sqlite3.Connection, name: str) -> list[dict[str, Any]]:
    """Entities a name (Urdu in any spelling, or English) may denote, most mentioned first."""
    name = name.strip()[:MAX_QUERY_CHARS]
    if not name:
        return []
    ids = resolve_names(conn, name, whole=True)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT e.id, e.type, e.name_en, e.name_ur, count(DISTINCT m.article) FROM entities e "
        f"LEFT JOIN mentions m ON m.entity = e.id WHERE e.id IN ({marks}) GROUP BY e.id "
        "ORDER BY count(m.article) DESC, e.id", ids).fetchall()
    return [{"id": r[0], "type": r[1], "name_en": r[2], "name_ur": r[3], "articles": r[4]}
            for r in rows]


# --------------------------------------------------------------------------- search


def valid_day(value: str | None) -> str | None:
    """``value`` when it is an ISO day (YYYY-MM-DD), else None."""
    if not value or not _ISO_DAY.fullmatch(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def search_view(conn: sqlite3.Connection, query: str, *, outlet: str | None = None,
                date_from: str | None = None, date_to: str | None = None,
                limit: int = 30) -> dict[str, Any]:
    """Search results with display-form snippets, filtered by outlet and publication dates
    (ISO days, checked by the caller); with no query but a filter, the filtered articles, the
    latest first. Never raises on user input: a query that cannot be searched gives
    ``error``."""
    query = (query or "")[:MAX_QUERY_CHARS]
    outlet = outlet or None
    result: dict[str, Any] = {"query": query, "outlet": outlet, "date_from": date_from,
                              "date_to": date_to, "total": 0, "hits": [], "error": None}
    where: list[str] = []
    args: list[Any] = []
    if outlet:
        where.append("a.outlet = ?")
        args.append(outlet)
    if date_from:
        where.append("a.published >= ?")
        args.append(date_from)
    if date_to:
        where.append("substr(a.published, 1, 10) <= ?")
        args.append(date_to)
    limit = max(1, min(int(limit), 200))
    if query.strip():
        try:
            expression, named = plan_query(conn, query)
            ranked = rank(conn, expression, limit, where=" AND ".join(where), args=tuple(args))
            join = " JOIN articles a ON a.rowid = search_index.rowid" if where else ""
            total = conn.execute(
                f"SELECT count(*) FROM search_index{join} WHERE search_index MATCH ?"
                + "".join(f" AND {w}" for w in where), (expression, *args)).fetchone()[0]
            marked = snippets(conn, expression, [rowid for rowid, _ in ranked],
                              start="\x01", end="\x02")
        except (SearchError, sqlite3.OperationalError) as err:
            result["error"] = str(err) if isinstance(err, SearchError) else (
                f"cannot search for this query ({err})")
            return result
        scores = dict(ranked)
        entity_ids = set(named)
        order = [rowid for rowid, _ in ranked]
    elif where:
        sql_where = " AND ".join(where)
        total = conn.execute(f"SELECT count(*) FROM articles a WHERE {sql_where}",
                             args).fetchone()[0]
        order = [r[0] for r in conn.execute(
            f"SELECT a.rowid FROM articles a WHERE {sql_where} "
            "ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC LIMIT ?",
            (*args, limit))]
        scores, marked, entity_ids = {}, {}, set()
    else:
        return result
    marks = ",".join("?" * len(order))
    rows = {r[0]: r[1:] for r in conn.execute(
        f"SELECT a.rowid, {_ARTICLE_COLUMNS}, a.data FROM articles a WHERE a.rowid IN ({marks})",
        order)} if order else {}
    hits = []
    for rowid in order:
        r = rows.get(rowid)
        if r is None:
            continue
        terms = {t for term in _MARKED.findall(marked.get(rowid, "")) for t in term.split()}
        snippet = display_snippet(json.loads(r[5]), terms, entity_ids)
        hits.append({**_article_ref(r), "score": round(-scores.get(rowid, 0.0), 4), **snippet})
    result["total"] = total
    result["hits"] = hits
    return result
