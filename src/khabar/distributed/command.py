"""``khabar process``: the command line of :func:`khabar.distributed.process`.

Imported only when the command runs (``khabar.cli`` lists it lazily); Dask is imported when
the run starts, so ``khabar process --help`` works without a cluster.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

__all__ = ["process_command"]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _size(text: str) -> int:
    """``2MB``, ``512k``, ``1.5G`` or a number of bytes."""
    m = _SIZE.match(text)
    if not m:
        raise click.BadParameter(f"{text!r} is not a size (e.g. 2MB, 512KB)")
    value = int(float(m[1]) * _UNITS[m[2].lower()])
    if value < 4096:
        raise click.BadParameter("a partition must hold at least 4KB")
    return value


@click.command("process")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder for the shards, the manifest and the duplicates.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run on the Dask cluster of this scheduler.")
@click.option("--local-cluster", type=click.IntRange(1, 256), metavar="N",
              help="Run on a local Dask cluster of N worker processes (default: one per core).")
@click.option("--partition-size", default="2MB", show_default=True, metavar="SIZE",
              help="Input bytes per partition (one task, one shard).")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Retries of a partition whose task fails.")
@click.option("--no-duplicates", is_flag=True,
              help="Do not look for duplicates after the pages (duplicates.parquet).")
@click.option("--restart", is_flag=True,
              help="Replace an earlier run in --out instead of resuming it.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def process_command(paths: tuple[str, ...], out: str, scheduler: str | None,
                    local_cluster: int | None, partition_size: str, retries: int,
                    no_duplicates: bool, restart: bool, as_json: bool) -> None:
    """Process pages on a Dask cluster into Parquet shards: read, normalise, clean and extract
    on the workers, then find duplicates across all shards.

    Writes OUT/shards/part-*.parquet (the columns of `khabar export` plus what `khabar
    ingest` needs), OUT/manifest.json and OUT/duplicates.parquet. Resumable: run the same
    command again after a failure and only the missing shards are made. Load the result into
    an archive with `khabar ingest OUT --db FILE`. Inputs and OUT must be reachable by every
    worker at the same paths.
    """
    from rich.console import Console
    from rich.markup import escape

    from khabar.distributed.run import ProcessError, ProcessSummary, process

    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    stdout = Console(highlight=False, soft_wrap=True)
    if scheduler and local_cluster:
        raise click.UsageError("give --scheduler or --local-cluster, not both")
    partition_bytes = _size(partition_size)

    progress: Any = None
    task: Any = None
    shown: set[str] = set()
    stages = {"plan": "planning partitions", "corpus": "learning repeated lines",
              "pages": "processing pages", "duplicates": "finding duplicates", "done": "done"}

    def on_progress(summary: ProcessSummary) -> None:
        nonlocal progress, task
        if summary.dashboard and "dashboard" not in shown and not as_json:
            shown.add("dashboard")
            stderr.print(f"Dask dashboard: {escape(summary.dashboard)}")
        if not stderr.is_terminal or as_json:
            if summary.stage not in shown and not as_json and summary.stage != "done":
                shown.add(summary.stage)
                stderr.print(f"{stages[summary.stage]} …")
            return
        if progress is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                TextColumn("{task.completed}/{task.total} partitions"),
                                TimeElapsedColumn(), console=stderr, transient=True)
            progress.start()
            task = progress.add_task("starting the cluster", total=None)
        total = summary.partitions or None
        description = stages[summary.stage]
        if summary.stage == "pages":
            description = (f"processing · {summary.pages:,} pages · {summary.rows:,} articles"
                           f" · {summary.problems:,} problems"
                           f" · {summary.pages_per_second:,.0f} pages/s")
        progress.update(task, description=description, total=total, completed=summary.done)

    try:
        summary = process(list(paths), out, scheduler=scheduler, local_cluster=local_cluster,
                          partition_bytes=partition_bytes, duplicates=not no_duplicates,
                          retries=retries, restart=restart, on_progress=on_progress)
    except ProcessError as err:
        stderr.print(f"[red]{escape(str(err))}[/]")
        sys.exit(2)
    finally:
        if progress is not None:
            progress.stop()

    if as_json:
        sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
    else:
        dup = summary.duplicates
        dup_text = (f" · {dup['pairs']:,} duplicate pairs in {dup['clusters']:,} clusters"
                    if dup else "")
        stdout.print(f"{summary.pages:,} pages · [green]{summary.rows:,} articles[/] in "
                     f"{summary.done}/{summary.partitions} shards ({summary.reused} kept from "
                     f"an earlier run) · {summary.skipped:,} skipped as repeated ids · "
                     f"[yellow]{summary.problems:,} problems[/]{dup_text} · "
                     f"{summary.seconds:.1f} s → {escape(str(out))}")
        for failed in summary.failed[:10]:
            stderr.print(f"[red]partition {failed['index']} failed[/] "
                         f"{escape(failed['input'])}: {escape(failed['error'])}")
        if summary.failed:
            stderr.print("run the same command again to retry the failed partitions")
    if summary.failed:
        sys.exit(1)
    if summary.pages == 0 and summary.partitions == 0:
        stderr.print("[red]no page could be read[/]")
        sys.exit(2)
