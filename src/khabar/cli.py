"""The ``khabar`` command line. Each command is a thin layer over the Python API.

Conventions shared by every command: paths may be files, folders, globs or ``-`` (stdin);
``--json`` prints JSON Lines (one object per document, result or problem) on stdout; human
output goes to stdout, problems and progress to stderr; a bad file never stops the batch; the
exit status is 0 when something was processed, 2 on bad use or when nothing could be read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import click
from rich.console import Console
from rich.markup import escape

from khabar import __version__
from khabar.model import Article, Page, Problem

_stdout = Console(highlight=False, soft_wrap=True)
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _emit_json(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _report_problem(problem: Problem, as_json: bool) -> None:
    if as_json:
        _emit_json(problem.to_dict())
    else:
        detail = f" ({problem.detail})" if problem.detail else ""
        _stderr.print(f"[yellow]problem[/] {escape(problem.source)}: {escape(problem.problem)}"
                      f"{escape(detail)}")


def _progress(items: Iterable[Any], description: str, total: int | None = None) -> Iterator[Any]:
    """Show a progress bar on stderr for long work, only when stderr is a terminal."""
    if not _stderr.is_terminal:
        yield from items
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=_stderr, transient=True) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)


class _Group(click.Group):
    """The command group; commands with heavy dependencies (the web reader, the Dask runner) live
    in their own modules and are imported only when they are run, so every other command starts
    fast and works without those extras installed."""

    lazy_commands: ClassVar[dict[str, tuple[str, str, str]]] = {
        "serve": ("khabar.web.command", "serve_command", "Browse an archive in a web browser."),
        "process": ("khabar.distributed.command", "process_command",
                    "Process pages on a Dask cluster into Parquet shards."),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.lazy_commands:
            return super().get_command(ctx, name)
        module_name, attribute, _ = self.lazy_commands[name]
        import importlib

        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            missing = getattr(err, "name", None) or str(err)
            raise click.ClickException(
                f"'khabar {name}' needs the package {missing!r}, which is not installed; "
                "install khabar with its extras, e.g. pip install 'khabar[dask]'") from err
        command: click.Command = getattr(module, attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # `khabar --help` lists the lazy commands from the table, without importing them.
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy_commands:
                rows.append((name, self.lazy_commands[name][2]))
                continue
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 16)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="khabar")
def main() -> None:
    """khabar (خبر): turn raw scraped Urdu news into clean, structured stories.

    Paths may be files (.txt .html .jsonl .warc, and .gz of them), folders, globs or '-'
    for standard input. Add --json for machine output (JSON Lines).
    """


@main.command("read")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per page or problem.")
def read_command(paths: tuple[str, ...], as_json: bool) -> None:
    """Read pages (any format, any encoding) and show what was found."""
    from khabar.readers import read

    pages = 0
    for item in read(*paths):
        if isinstance(item, Problem):
            _report_problem(item, as_json)
            continue
        pages += 1
        if as_json:
            _emit_json(item.to_dict())
        else:
            lines = item.text.count("\n") + 1 if item.text else 0
            first = item.title or next((ln for ln in item.text.splitlines() if ln.strip()), "")
            _stdout.print(f"[bold]{escape(item.source)}[/]  {item.format}  {item.encoding}  "
                          f"{lines} lines  {len(item.text)} chars")
            if first:
                _stdout.print(f"    {escape(first[:120])}")
    if pages == 0:
        _stderr.print("[red]no page could be read[/]")
        sys.exit(2)


@main.command("normalize")
@click.argument("path", default="-")
@click.option("--key", "as_key", is_flag=True, help="Print the matching form instead.")
def normalize_command(path: str, as_key: bool) -> None:
    """Print the display form of a page's text (or the matching form with --key).

    PATH is a file or '-' for standard input (the default).
    """
    from khabar.readers import read
    from khabar.urdu import key, normalize

    transform = key if as_key else normalize
    pages = 0
    for item in read(path):
        if isinstance(item, Problem):
            _report_problem(item, as_json=False)
            continue
        pages += 1
        if as_key:
            out = "\n".join(transform(line) for line in item.text.split("\n"))
        else:
            out = transform(item.text)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    if pages == 0:
        sys.exit(2)


def _print_article(article: Article, dropped: bool = True) -> None:
    _stdout.rule(escape(article.source))
    if article.title:
        _stdout.print(f"[bold]{escape(article.title.text)}[/]")
    meta = article.meta
    facts = [f"{name}: {value}" for name, value in (
        ("published", meta.published), ("dateline", meta.dateline), ("outlet", meta.outlet),
        ("byline", meta.byline), ("agencies", ", ".join(meta.agencies) or None),
        ("language", meta.language)) if value]
    if facts:
        _stdout.print(f"[cyan]{escape(' · '.join(facts))}[/]")
    for block in article.blocks:
        _stdout.print()
        if block.kind == "heading":
            _stdout.print(f"[bold underline]{escape(block.text)}[/]")
        else:
            _stdout.print(escape(block.text))
    if article.dropped and not dropped:
        lines = sum(len(d.lines) for d in article.dropped)
        _stdout.print(f"[dim]({lines} boilerplate lines dropped: see khabar clean)[/]")
    elif article.dropped:
        _stdout.print()
        _stdout.print(f"[dim]dropped {sum(len(d.lines) for d in article.dropped)} lines:[/]")
        for drop in article.dropped:
            where = ",".join(str(n) for n in drop.lines)
            _stdout.print(f"[dim]  {where:>7} {drop.kind:<14} {escape(drop.text[:80])}\n"
                          f"          {'':<14} ↳ {escape(drop.reason)}[/]")


@main.command("clean")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article or problem.")
def clean_command(paths: tuple[str, ...], as_json: bool) -> None:
    """Separate each article from its boilerplate: title, headings, paragraphs, metadata,
    and every dropped line with the reason it was dropped.

    Pages cleaned together learn the lines their outlet (or folder) repeats on every page.
    """
    from khabar.clean import clean_many
    from khabar.readers import read

    pages: list[Page] = []
    for item in read(*paths):
        if isinstance(item, Problem):
            _report_problem(item, as_json)
        else:
            pages.append(item)
    for article in _progress(clean_many(pages), "cleaning", total=len(pages)):
        if as_json:
            _emit_json(article.to_dict())
        else:
            _print_article(article)
    if not pages:
        _stderr.print("[red]no page could be read[/]")
        sys.exit(2)


def _where(item: dict[str, Any]) -> str:
    if item.get("part") == "title":
        return "title"
    if item.get("part") == "meta":
        return "meta" if item.get("line") is None else f"line {item['line']}"
    return f"¶{item['block'] + 1}" if item.get("block") is not None else ""


def _print_facts(extraction: Any) -> None:
    """The entities, dates, claims and quotes of an extraction, after its article."""
    data = extraction.to_dict()
    if data["entities"]:
        _stdout.print()
        _stdout.print(f"[bold]entities ({len(data['entities'])})[/]")
        for entity in data["entities"]:
            variants = sorted({m["text"] for m in entity["mentions"]})
            english = f" ({entity['name_en']})" if entity["name_en"] else ""
            _stdout.print(f"  [green]{entity['type']:<6}[/] {escape(entity['name_ur'])}"
                          f"{escape(english)}  [dim]{len(entity['mentions'])}× "
                          f"{escape(' / '.join(variants))}  {escape(entity['id'])}[/]")
    if data["dates"]:
        _stdout.print()
        _stdout.print(f"[bold]dates ({len(data['dates'])})[/]")
        for date in data["dates"]:
            _stdout.print(f"  {date['value']:<12} {date['role']:<9} {escape(date['text'])}"
                          f"  [dim]{_where(date)}[/]")
    if data["claims"]:
        _stdout.print()
        _stdout.print(f"[bold]claims ({len(data['claims'])})[/]")
        for claim in data["claims"]:
            sources = "، ".join(s["text"] for s in claim["sources"])
            what = f" {claim['what']}" if claim["what"] else ""
            said = f"  [cyan]according to {escape(sources)}[/]" if sources else ""
            _stdout.print(f"  {escape(claim['number_text'])}{escape(what)}{said}"
                          f"  [dim]{_where(claim)}[/]")
    if data["quotes"]:
        _stdout.print()
        _stdout.print(f"[bold]quotes ({len(data['quotes'])})[/]")
        for quote in data["quotes"]:
            speaker = quote["speaker"]["text"] if quote["speaker"] else "?"
            _stdout.print(f"  [cyan]{escape(speaker)}[/] ({quote['kind']}): "
                          f"“{escape(quote['text'])}”  [dim]{_where(quote)}[/]")


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article or problem.")
@click.option("--published", metavar="YYYY-MM-DD",
              help="Publication date to resolve relative dates against (overrides the page's).")
@click.option("--no-tagger", is_flag=True,
              help="Only the gazetteer and cue patterns for names (no statistical tagger).")
def extract_command(paths: tuple[str, ...], as_json: bool, published: str | None,
                    no_tagger: bool) -> None:
    """The clean article plus who, where, when and how many: entities (people, places,
    organisations joined across spellings), dates, numeric claims with their sources, and
    quotes with their speakers.
    """
    import datetime as dt

    from khabar.extract.pipeline import extract_many
    from khabar.readers import read

    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError as err:
            raise click.BadParameter(f"not an ISO date: {published!r}",
                                     param_hint="--published") from err
    pages: list[Page] = []
    for item in read(*paths):
        if isinstance(item, Problem):
            _report_problem(item, as_json)
        else:
            if published:
                item.published = published
            pages.append(item)
    extractions = extract_many(pages, use_tagger=not no_tagger)
    for extraction in _progress(extractions, "extracting", total=len(pages)):
        if as_json:
            _emit_json(extraction.to_dict())
        else:
            _print_article(extraction.article, dropped=False)
            _print_facts(extraction)
    if not pages:
        _stderr.print("[red]no page could be read[/]")
        sys.exit(2)


def _open_archive(db: str, readonly: bool = True) -> Any:
    """Open an archive for a command, or exit 2 with a clear message."""
    from khabar.archive import Archive, ArchiveError, ArchiveVersionError

    try:
        return Archive(db, readonly=readonly)
    except (ArchiveError, ArchiveVersionError) as err:
        _stderr.print(f"[red]{escape(str(err))}[/]")
        sys.exit(2)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", required=True, type=click.Path(dir_okay=False),
              help="The archive file (SQLite); made when it does not exist.")
@click.option("--workers", "-w", type=click.IntRange(0, 64), default=1, show_default=True,
              help="Worker processes for the per-page work (0: one per core).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def ingest_command(paths: tuple[str, ...], db: str, workers: int, as_json: bool) -> None:
    """Read, clean and extract pages into an archive: streamed, resumable, idempotent.

    Pages already in the archive are skipped; problems (bad files or records) are stored and
    listed by `khabar problems`; the batch goes on. A PATH that is the output folder of
    `khabar process` (shards with a manifest.json) is loaded as processed articles, without
    redoing the per-page work.
    """
    from khabar.archive import ArchiveError, ArchiveVersionError
    from khabar.ingest import ingest

    progress_bar = None
    task = None
    if _stderr.is_terminal and not as_json:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress_bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                TimeElapsedColumn(), console=_stderr, transient=True)
        progress_bar.start()
        task = progress_bar.add_task("ingesting")

    def on_progress(summary: Any) -> None:
        if progress_bar is not None and task is not None:
            progress_bar.update(task, description=(
                f"ingesting · {summary.read:,} pages · {summary.added:,} new · "
                f"{summary.skipped:,} already there · {summary.problems:,} problems · "
                f"{summary.pages_per_second:,.0f} pages/s"))

    try:
        summary = ingest(paths, db, workers=workers, on_progress=on_progress)
    except (ArchiveError, ArchiveVersionError) as err:
        _stderr.print(f"[red]{escape(str(err))}[/]")
        sys.exit(2)
    finally:
        if progress_bar is not None:
            progress_bar.stop()
    if as_json:
        _emit_json({"db": db, **summary.to_dict()})
    else:
        _stdout.print(f"{summary.read:,} pages read · [green]{summary.added:,} new articles[/] · "
                      f"{summary.skipped:,} already in the archive · "
                      f"[yellow]{summary.problems:,} problems[/] · {summary.seconds:.1f} s "
                      f"({summary.pages_per_second:,.0f} pages/s) → {escape(db)}")
        for problem in summary.problem_list[:10]:
            _stderr.print(f"[yellow]problem[/] {escape(problem['source'])}: "
                          f"{escape(problem['problem'])}")
        if summary.problems > 10:
            _stderr.print(f"... and {summary.problems - 10} more: khabar problems --db {db}")
    if summary.read == 0 and summary.problems == 0:
        _stderr.print("[red]no page could be read[/]")
        sys.exit(2)


@main.command("problems")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem.")
def problems_command(db: str, as_json: bool) -> None:
    """List the files and records that could not be read or processed."""
    with _open_archive(db) as archive:
        problems = archive.problems()
    for problem in problems:
        if as_json:
            _emit_json(problem)
        else:
            detail = f" ({problem['detail']})" if problem["detail"] else ""
            _stdout.print(f"{escape(problem['source'])}: [yellow]{escape(problem['problem'])}[/]"
                          f"{escape(detail)}")
    if not as_json:
        _stderr.print(f"{len(problems)} problems")


@main.command("search")
@click.argument("query")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_command(query: str, db: str, limit: int, as_json: bool) -> None:
    """Search the archive: spelling-tolerant, names expanded through their variants
    (Putin, پوٹن and پیوٹن find the same articles)."""
    from khabar.search import SearchError, search

    with _open_archive(db) as archive:
        try:
            hits = search(archive.conn, query, limit=limit)
        except SearchError as err:
            _stderr.print(f"[red]{escape(str(err))}[/]")
            sys.exit(2)
    for hit in hits:
        if as_json:
            _emit_json(hit.to_dict())
        else:
            _stdout.print(f"[bold]{escape(hit.title or '(no title)')}[/]  [dim]{escape(hit.id)} · "
                          f"{escape(hit.outlet or '?')} · {hit.published or '?'} · "
                          f"score {hit.score:.2f}[/]")
            parts = re.split(r"\[([^\[\]]*)\]", hit.snippet)
            snippet = "".join(f"[bold yellow]{escape(p)}[/]" if i % 2 else escape(p)
                              for i, p in enumerate(parts))
            _stdout.print(f"    {snippet}")
    if not as_json:
        _stderr.print(f"{len(hits)} hits")


@main.command("entity")
@click.argument("name")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
def entity_command(name: str, db: str, as_json: bool) -> None:
    """One entity across the archive: its spellings, outlets, first and last seen,
    the entities it appears with and its events. NAME is Urdu (any spelling) or English."""
    from khabar.profiles import entity_profiles

    with _open_archive(db) as archive:
        profiles = entity_profiles(archive.conn, name)
    if not profiles:
        _stderr.print(f"[yellow]no entity named {escape(name)!r} in {escape(db)}[/]")
        sys.exit(1)
    for p in profiles:
        if as_json:
            _emit_json(p)
            continue
        english = f" ({p['name_en']})" if p["name_en"] else ""
        _stdout.rule(f"{escape(p['name_ur'])}{escape(english)} · {p['type']} · {escape(p['id'])}")
        _stdout.print(f"{p['mentions']} mentions in {p['articles']} articles, "
                      f"{p['first'] or '?'} … {p['last'] or '?'}")
        _stdout.print("spellings: " + escape(" · ".join(f"{v} ({n})"
                                                         for v, n in p["variants"].items())))
        _stdout.print("outlets: " + escape(", ".join(f"{o} ({n})"
                                                     for o, n in p["outlets"].items())))
        if p["cooccurring"]:
            _stdout.print("with: " + escape(", ".join(
                f"{c['name_en'] or c['name_ur']} ({c['articles']})" for c in p["cooccurring"])))
        for event in p["events"]:
            _stdout.print(f"  event {escape(event['event'])} {event['first'] or '?'}: "
                          f"{escape(event['title'] or '')} ({event['articles']} articles)")


@main.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl",
              show_default=True)
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder for articles, entities and events files.")
def export_command(db: str, fmt: str, out: str) -> None:
    """Export articles (with metadata and facts), entities and events as JSONL or Parquet."""
    from khabar.export import export

    with _open_archive(db) as archive:
        try:
            written = export(archive.conn, fmt, out)
        except OSError as err:
            _stderr.print(f"[red]{escape(out)}: cannot write ({escape(str(err))})[/]")
            sys.exit(2)
    for name, n in written.items():
        _stdout.print(f"{n:,} {name} → {escape(str(Path(out) / f'{name}.{fmt}'))}")


@main.command("duplicates")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--kind", type=click.Choice(["exact", "near", "partial"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pair.")
def duplicates_command(db: str, kind: str | None, as_json: bool) -> None:
    """Exact copies, near copies and partial reuse (a paper rewriting an agency wire)."""
    from khabar.dedup.archive_store import duplicate_pairs

    with _open_archive(db) as archive:
        n = 0
        for pair in duplicate_pairs(archive.conn, kind):
            n += 1
            if as_json:
                _emit_json(pair)
                continue
            titles = [archive.conn.execute(
                "SELECT coalesce(a.outlet, '?') || ' · ' || coalesce(a.title, p.source) "
                "FROM articles a JOIN pages p ON p.rowid = a.rowid WHERE a.id = ?",
                (x,)).fetchone()[0] for x in (pair["a"], pair["b"])]
            _stdout.print(f"[bold]{pair['kind']:<8}[/] {pair['similarity']:.2f}  "
                          f"{escape(pair['a'])} {escape(titles[0])}\n"
                          f"{'':14}{escape(pair['b'])} {escape(titles[1])}")
    if not as_json:
        _stderr.print(f"{n} pairs")


@main.command("stories")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The archive file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@click.option("--min-articles", type=click.IntRange(1), default=1, show_default=True,
              help="Only events with at least this many articles.")
def stories_command(db: str, as_json: bool, min_articles: int) -> None:
    """Events (the same happening across outlets) grouped into story threads."""
    from khabar.stories.archive_store import stories

    with _open_archive(db) as archive:
        events = [e for e in stories(archive.conn) if len(e["articles"]) >= min_articles]
    if as_json:
        for event in events:
            _emit_json(event)
        return
    by_thread: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_thread.setdefault(event["thread"], []).append(event)
    for thread, members in by_thread.items():
        if len(members) > 1:
            _stdout.rule(f"thread {escape(thread)} · {len(members)} events")
        for event in members:
            names = ", ".join(e["name_en"] or e["name_ur"] or e["id"]
                              for e in event["entities"][:5])
            _stdout.print(f"[bold]{escape(event['title'] or '(untitled)')}[/]\n"
                          f"  {event['first'] or '?'} … {event['last'] or '?'} · "
                          f"{len(event['articles'])} articles · "
                          f"{escape(', '.join(event['outlets']))} · [dim]{escape(names)}[/]")
    _stderr.print(f"{len(events)} events in {len(by_thread)} threads")


@main.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--db", type=click.Path(dir_okay=False),
              help="Build the demo archive in this file (default: demo.db in the user's cache "
                   "folder, rebuilt on every run, which `khabar serve` opens by default).")
def demo_command(as_json: bool, db: str | None) -> None:
    """Run the whole pipeline on the bundled sample corpus (into an archive) and summarise:
    outlets, kept and dropped lines, entities, stories, duplicates and claims. Then
    `khabar serve` shows the same archive in a browser."""
    from khabar.demo import (
        demo_archive_path,
        remove_archive,
        render_archive,
        render_summary,
        summarise_archive,
        summarise_corpus,
    )
    from khabar.ingest import ingest
    from khabar.resources import sample_corpus

    path = Path(db) if db else demo_archive_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not db:
            remove_archive(path)
    except OSError as err:
        raise click.ClickException(f"cannot prepare the demo archive {path}: {err.strerror}. "
                                   "Give --db FILE in a writable folder.") from err
    with _stderr.status("running the pipeline on the sample corpus"):
        ingest([str(sample_corpus())], str(path))
    with _open_archive(str(path)) as archive:
        summary = summarise_corpus(sample_corpus(), archive)
        summary["archive"] = summarise_archive(archive)
    summary["archive"]["path"] = str(path)
    if as_json:
        _emit_json(summary)
    else:
        render_summary(summary, _stdout)
        render_archive(summary["archive"], _stdout, db)


if __name__ == "__main__":  # pragma: no cover
    main()
