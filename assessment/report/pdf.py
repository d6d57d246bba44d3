"""The report as a PDF, rendered in-process by WeasyPrint from the page's own template.

Rendering fetches nothing but the app's own static files: no file outside them, no network.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://report.crmgate.invalid/"
"""Where relative links point while rendering: a name that resolves nowhere on the network."""


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/... from the app's static folder and inline data: URLs; refuses all else."""

    def __init__(self, static_folder: str | Path) -> None:
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False)
        self.static = Path(static_folder).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith("/static/"):
            raise ValueError(f"the report may not fetch {url}")
        path = (self.static / unquote(parts.path.removeprefix("/static/"))).resolve()
        if not path.is_relative_to(self.static) or not path.is_file():
            raise ValueError(f"no static file {parts.path}")
        kind = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}.get(
            path.suffix, "application/octet-stream"
        )
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


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


def _render(html: str, static_folder: str | Path) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_folder)).write_pdf()


def _child(connection: Connection, html: str, static_folder: str | Path) -> None:
    try:
        connection.send(("pdf", _render(html, static_folder)))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("error", repr(error)))
    finally:
        connection.close()


def render_pdf(html: str, static_folder: str | Path, seconds: float = RENDER_SECONDS) -> bytes:
    """Render in a forked child, so a render that overruns `seconds` can be stopped for good."""
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
