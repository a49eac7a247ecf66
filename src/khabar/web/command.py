"""``khabar serve``: the web reader on one archive (imported lazily by the CLI, so only click is
imported here at module level)."""

from __future__ import annotations

import ipaddress

import click

__all__ = ["serve_command"]

_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--db", "db", default=None,
              type=click.Path(exists=True, dir_okay=False, readable=True),
              help="The archive (made by `khabar ingest` or `khabar demo`); default: the archive "
                   "the last `khabar demo` built.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers only this machine.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
def serve_command(db: str | None, host: str, port: int) -> None:
    """Browse an archive in a web browser: story threads, events, articles with their names,
    dates and claims marked, entities and search, in Urdu, right to left. Read-only; the JSON
    API is under /api (described at /openapi.json)."""
    import uvicorn

    from khabar.archive import ArchiveError
    from khabar.web.app import create_app

    if db is None:
        from khabar.demo import demo_archive_path

        demo = demo_archive_path()
        if not demo.is_file():
            raise click.UsageError(
                f"no archive given: use --db FILE, or run `khabar demo` first (it builds {demo})")
        db = str(demo)
    loopback = _is_loopback(host)
    allowed = [*_LOOPBACK_NAMES, host] if loopback else None
    try:
        app = create_app(db, allowed_hosts=allowed)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from err
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"khabar reader on http://{shown}:{port}/  (archive {db}, read-only; Ctrl+C "
               "stops it)", err=True)
    if not loopback:
        click.echo(f"warning: listening on {host}: anyone who can reach this address can read "
                   "the archive", err=True)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning",
                server_header=False, proxy_headers=False)
