"""The report as a PDF, rendered in-process by WeasyPrint from the page's own template.

Rendering fetches nothing but the app's own static files: no file outside them, no network.

WeasyPrint takes longer to import than the rest of the app together, so it is imported on the
first render (`fetcher.py` holds what needs it), not when the app starts: `flask` commands and
worker starts do not pay for it. An import failure (Pango missing, say) still raises, at that render.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assessment.report.fetcher import StaticOnlyFetcher

__all__ = [
    "BASE_URL",
    "RENDER_SECONDS",
    "RenderTimeoutError",
    "StaticOnlyFetcher",
    "render_in_process",
    "render_pdf",
    "renderer_version",
]

BASE_URL = "https://report.crmgate.invalid/"
"""Where relative links point while rendering: a name that resolves nowhere on the network."""


def __getattr__(name: str) -> Any:
    """`StaticOnlyFetcher` is importable from here as before, loading WeasyPrint only when asked for."""
    if name == "StaticOnlyFetcher":
        from assessment.report.fetcher import StaticOnlyFetcher

        return StaticOnlyFetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def renderer_version(*folders: str | Path) -> str:
    """A hash of the templates and stylesheets that draw the report, so a new release never
    serves a PDF cached by an older one."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".css") and path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


RENDER_SECONDS = 60
"""A render that takes longer than this is stopped; no report of this app comes near it."""


class RenderTimeoutError(RuntimeError):
    """The PDF took too long to render and was stopped."""


def render_in_process(html: str, static_folder: str | Path) -> bytes:
    """The render itself, here and without a time limit: what the child runs (and what the benchmark times)."""
    from weasyprint import HTML

    from assessment.report.fetcher import StaticOnlyFetcher

    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_folder)).write_pdf()


def _child(connection: Connection, html: str, static_folder: str | Path) -> None:
    try:
        connection.send(("pdf", render_in_process(html, static_folder)))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("error", repr(error)))
    finally:
        connection.close()


def render_pdf(html: str, static_folder: str | Path, seconds: float = RENDER_SECONDS) -> bytes:
    """Render in a forked child, so a render that overruns `seconds` can be stopped for good."""
    # Imported here, in the parent, once per process: every forked child inherits it ready.
    import weasyprint  # noqa: F401

    import assessment.report.fetcher  # noqa: F401

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, html, static_folder), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RenderTimeoutError(f"the report took more than {seconds:g} s to render")
        kind, payload = receiver.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind != "pdf":
        raise RuntimeError(f"the report could not be rendered: {payload}")
    return payload
