"""khabar's web reader (``khabar serve``): server-rendered Urdu pages and a JSON API over an
archive, read-only.

``create_app(db_path)`` makes the FastAPI application; importing this package does not import
FastAPI (``khabar serve --help`` stays fast).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from khabar.web.app import create_app

        return create_app
    raise AttributeError(name)
