"""Rendering a report to PDF: only the app's static files are fetched, and a render has a time limit."""

from __future__ import annotations

import pytest
from flask import Flask

from assessment.report.pdf import BASE_URL, RenderTimeoutError, StaticOnlyFetcher, render_pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/x.png",
        f"{BASE_URL}static/../../app.py",
        f"{BASE_URL}other/app.css",
        "http://127.0.0.1:5000/",
    ],
)
def test_the_fetcher_serves_nothing_but_static_files(app: Flask, url: str) -> None:
    fetcher = StaticOnlyFetcher(app.static_folder)
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert b"Logical properties" in fetcher.fetch(f"{BASE_URL}static/css/base.css").read()
    font = fetcher.fetch(f"{BASE_URL}static/fonts/Vazirmatn-Regular.ttf")
    assert font.headers["Content-Type"] == "font/ttf" and font.read()[:4] == b"\x00\x01\x00\x00"


def test_a_render_that_overruns_its_time_is_stopped(app: Flask) -> None:
    huge = "<table>" + "<tr><td>cell</td></tr>" * 200_000 + "</table>"
    with pytest.raises(RenderTimeoutError):
        render_pdf(huge, app.static_folder, seconds=0.5)
    assert render_pdf("<p>small</p>", app.static_folder).startswith(b"%PDF")
