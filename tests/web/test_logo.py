"""Workspace logos: only real PNG or JPEG images of sensible size, served as clean PNGs."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from flask.testing import FlaskClient
from PIL import Image

from tests.conftest import csrf_token


def image(kind: str, size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 78, 140)).save(buffer, format=kind)
    return buffer.getvalue()


def claimed(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels, as a decompression bomb's does."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def upload(client: FlaskClient, data: bytes, name: str):
    return client.post(
        "/workspace/settings",
        data={"logo": (io.BytesIO(data), name), "csrf_token": csrf_token(client, "/workspace/settings")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("kind", "name"), [("PNG", "logo.png"), ("JPEG", "logo.jpg")])
def test_a_png_or_jpeg_logo_is_kept_and_served_as_a_clean_png(client: FlaskClient, kind: str, name: str) -> None:
    assert upload(client, image(kind) + b"<script>alert(1)</script>", name).status_code == 302
    served = client.get("/workspace/logo")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert b"<script>" not in served.data
    with Image.open(io.BytesIO(served.data)) as logo:
        assert (logo.format, logo.size) == ("PNG", (120, 40))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"GIF89a not really", "logo.png", "This file is not a PNG or JPEG image."),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "Upload a PNG or JPEG image.",
        ),
        (image("PNG", (2400, 100)), "wide.png", "The image is larger than 2000 pixels on a side."),
        (claimed(30_000, 30_000), "bomb.png", "The image is larger than 2000 pixels on a side."),
        (b"\x89PNG" + b"0" * 600_000, "huge.png", "The image is larger than 512 KB."),
    ],
    ids=["not-an-image", "svg", "too-wide", "decompression-bomb", "too-heavy"],
)
def test_anything_else_is_refused_at_the_field_and_nothing_changes(
    client: FlaskClient, data: bytes, name: str, message: str
) -> None:
    response = upload(client, data, name)
    assert response.status_code in (413, 422)
    if response.status_code == 422:
        assert message in response.get_data(as_text=True)
    assert client.get("/workspace/logo").status_code == 404
