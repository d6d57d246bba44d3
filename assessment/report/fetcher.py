"""What rendering needs from WeasyPrint: imported on the first render only (see `pdf.py`)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessment.report.pdf import BASE_URL


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
        kind = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".ttf": "font/ttf"}.get(
            path.suffix, "application/octet-stream"
        )
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
