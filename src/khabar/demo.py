"""``khabar demo``: the whole pipeline on the bundled sample corpus, summarised from the archive
it fills."""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from khabar.model import Page
from khabar.readers import read
from khabar.urdu import normalize


def demo_archive_path() -> Path:
    """Where ``khabar demo`` keeps its archive when no ``--db`` is given, so that a plain
    ``khabar serve`` afterwards can show it: ``$KHABAR_DEMO_DB`` if set, else ``demo.db`` in the
    user's cache folder (``$XDG_CACHE_HOME/khabar`` or ``~/.cache/khabar``)."""
    explicit = os.environ.get("KHABAR_DEMO_DB")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "khabar" / "demo.db"


def remove_archive(path: Path) -> None:
    """Delete an archive file with its WAL and shared-memory companions (the demo archive is
    rebuilt from scratch on every run, so it always reflects the installed khabar)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def normalisation_stats(folder: Path) -> dict[str, int]:
    """How many non-blank lines of the pages under ``folder`` normalisation changes."""
    changed = total = 0
    for item in read(str(folder)):
        if isinstance(item, Page):
            for line in item.text.split("\n"):
                if line.strip():
                    total += 1
                    changed += normalize(line) != line
    return {"lines": total, "lines_changed": changed}


def summarise_corpus(folder: Path, archive: Any) -> dict[str, Any]:
    """A JSON-ready summary of the pages under ``folder`` once ingested into ``archive``:
    formats, lines kept and dropped, outlets, entities and facts (read back from the archive,
    so the pipeline runs once)."""
    conn = archive.conn
    outlets: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"pages": 0, "languages": Counter(), "titles": [], "published": []})
    kept: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    entities: dict[str, dict[str, Any]] = {}
    facts: Counter[str] = Counter()
    for outlet_name, raw in conn.execute("SELECT outlet, data FROM articles ORDER BY rowid"):
        data = json.loads(raw)
        name = outlet_name or "?"
        for entity in data["entities"]:
            seen = entities.setdefault(entity["id"], {
                "id": entity["id"], "type": entity["type"], "name_en": entity["name_en"],
                "name_ur": entity["name_ur"], "pages": 0, "outlets": set(),
                "variants": Counter()})
            seen["pages"] += 1
            seen["outlets"].add(name)
            seen["variants"].update(m["text"] for m in entity["mentions"])
        for kind in ("entities", "dates", "claims", "quotes"):
            facts[kind] += len(data[kind])
        outlet = outlets[name]
        outlet["pages"] += 1
        outlet["languages"][data["meta"]["language"] or "unknown"] += 1
        if data["title"]:
            outlet["titles"].append(data["title"]["text"])
            kept["title"] += 1
        if data["meta"]["published"]:
            outlet["published"].append(data["meta"]["published"])
        for block in data["blocks"]:
            kept[block["kind"]] += len(block["lines"])
        for drop in data["dropped"]:
            dropped[drop["kind"]] += len(drop["lines"])
        kept["metadata"] += len(data["meta_lines"])

    pages = conn.execute("SELECT format, encoding FROM pages").fetchall()
    return {
        "corpus": str(folder),
        "pages": len(pages),
        "problems": archive.problems(),
        "formats": dict(Counter(f for f, _ in pages)),
        "encodings": dict(Counter(e or "?" for _, e in pages)),
        "normalisation": normalisation_stats(folder),
        "kept_lines": dict(kept),
        "dropped_lines": dict(dropped.most_common()),
        "facts": dict(facts),
        "top_entities": [
            {**e, "outlets": sorted(e["outlets"]), "variants": dict(e["variants"].most_common())}
            for e in sorted(entities.values(), key=lambda e: (-len(e["outlets"]), -e["pages"],
                                                               e["id"]))[:15]
        ],
        "outlets": {
            name: {
                "pages": info["pages"],
                "languages": dict(info["languages"]),
                "first": min(info["published"], default=None),
                "last": max(info["published"], default=None),
                "titles": info["titles"],
            }
            for name, info in sorted(outlets.items())
        },
    }


def render_summary(summary: dict[str, Any], console: Console) -> None:
    """Print the summary for a person."""
    console.rule("[bold]khabar demo[/] — the bundled sample corpus")
    console.print(f"{summary['pages']} pages read from {escape(summary['corpus'])}; "
                  f"{len(summary['problems'])} problems; formats "
                  f"{', '.join(f'{k} {v}' for k, v in summary['formats'].items())}; encodings "
                  f"{', '.join(f'{k} {v}' for k, v in summary['encodings'].items())}")
    norm = summary["normalisation"]
    console.print(f"normalisation changed {norm['lines_changed']} of {norm['lines']} non-blank "
                  "lines (Arabic code points, joined words, glued digits, invisible characters)")

    outlets = Table(title="Outlets", show_lines=False)
    for column in ("outlet", "pages", "languages", "first", "last"):
        outlets.add_column(column)
    for name, info in summary["outlets"].items():
        langs = ", ".join(f"{k} {v}" for k, v in info["languages"].items())
        outlets.add_row(escape(name), str(info["pages"]), langs, info["first"] or "–",
                        info["last"] or "–")
    console.print(outlets)

    lines = Table(title="Lines: kept and dropped")
    lines.add_column("kind")
    lines.add_column("lines", justify="right")
    for kind, count in summary["kept_lines"].items():
        lines.add_row(f"[green]{kind}[/]", str(count))
    for kind, count in summary["dropped_lines"].items():
        lines.add_row(f"[dim]{kind} (dropped)[/]", str(count))
    console.print(lines)

    facts = summary["facts"]
    console.print(f"found {facts.get('entities', 0)} entities (per page), "
                  f"{facts.get('dates', 0)} dates, {facts.get('claims', 0)} numeric claims and "
                  f"{facts.get('quotes', 0)} quotes")
    people = Table(title="Most widely covered entities (spellings joined across outlets)")
    for column in ("type", "name", "pages", "outlets", "spellings"):
        people.add_column(column)
    for e in summary["top_entities"]:
        name = e["name_ur"] + (f" ({e['name_en']})" if e["name_en"] else "")
        people.add_row(e["type"], escape(name), str(e["pages"]), str(len(e["outlets"])),
                       escape(" / ".join(e["variants"])))
    console.print(people)

    console.print("[bold]Some titles[/]")
    for name, info in summary["outlets"].items():
        for title in info["titles"][:2]:
            console.print(f"  [cyan]{escape(name)}[/]  {escape(title)}")
    console.print("\nNext: [bold]khabar clean PATH[/] for one page's article and dropped lines, "
                  "[bold]khabar extract PATH[/] for its entities, dates, claims and quotes.")


def summarise_archive(archive: Any) -> dict[str, Any]:
    """Stories, duplicates and the most widely sourced claims of an archive."""
    from khabar.dedup.archive_store import duplicate_pairs
    from khabar.stories.archive_store import stories

    conn = archive.conn
    titles = dict(conn.execute("SELECT id, coalesce(outlet, '?') || ' · ' || "
                               "coalesce(title, '') FROM articles"))
    claims = [
        {"article": r[0], "number_text": r[1], "what": r[2], "sources": json.loads(r[3]),
         "outlet": r[4]}
        for r in conn.execute(
            "SELECT c.article, c.number_text, c.what, c.sources, a.outlet FROM claims c "
            "JOIN articles a ON a.id = c.article WHERE c.sources != '[]' "
            "ORDER BY a.published, c.rowid LIMIT 8")]
    return {
        "counts": archive.counts(),
        "stories": [e for e in stories(conn) if len(e["articles"]) > 1],
        "duplicates": [{**p, "a_title": titles.get(p["a"]), "b_title": titles.get(p["b"])}
                       for p in duplicate_pairs(conn)],
        "claims": claims,
    }


def render_archive(summary: dict[str, Any], console: Console, db: str | None) -> None:
    counts = summary["counts"]
    console.rule("[bold]The archive[/]")
    console.print(f"{counts['articles']} articles · {counts['entities']} entities · "
                  f"{counts['events']} events in {counts['threads']} threads · "
                  f"{counts['duplicates']} duplicate pairs · {counts['claims']} claims · "
                  f"{counts['quotes']} quotes")
    table = Table(title="Stories covered by several outlets")
    for column in ("thread", "event", "dates", "articles", "title"):
        table.add_column(column)
    for event in summary["stories"]:
        table.add_row(event["thread"], event["event"],
                      f"{event['first'] or '?'} … {event['last'] or '?'}",
                      str(len(event["articles"])), escape(event["title"] or ""))
    console.print(table)
    if summary["duplicates"]:
        console.print("[bold]Duplicates[/]")
        for p in summary["duplicates"]:
            console.print(f"  {p['kind']} ({p['similarity']:.2f}): {escape(p['a_title'] or '')}"
                          f"\n      ↔ {escape(p['b_title'] or '')}")
    if summary["claims"]:
        console.print("[bold]Some claims with their sources[/]")
        for c in summary["claims"]:
            sources = "، ".join(s["text"] for s in c["sources"])
            console.print(f"  {escape(c['number_text'] or '')} {escape(c['what'] or '')}  "
                          f"[cyan]according to {escape(sources)}[/]  [dim]{escape(c['outlet'] or '')}[/]")
    where = str(db) if db else str(demo_archive_path())
    serve = f"khabar serve --db {where}" if db else "khabar serve"
    console.print(f"\nArchive: {escape(where)}")
    console.print(f"Browse it: [bold]{escape(serve)}[/] and open http://127.0.0.1:8000/")
    console.print(f"Query it: [bold]khabar search \"پیوٹن\" --db {escape(where)}[/], "
                  f"[bold]khabar stories --db {escape(where)}[/], "
                  f"[bold]khabar entity Putin --db {escape(where)}[/]. "
                  "Your own pages: [bold]khabar ingest YOUR_FOLDER --db news.db[/].")
