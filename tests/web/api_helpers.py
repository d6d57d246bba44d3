"""Getting an API token the way an owner does, and sending it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token


def new_token(client: FlaskClient, role: str = "analyst", name: str = "CRM sync") -> str:
    response = client.post(
        "/workspace/tokens", data={"name": name, "role": role, "csrf_token": csrf_token(client, "/workspace/tokens")}
    )
    return re.search(
        r'id="new-token" type="text" readonly value="(crmg_[\w-]+)"', response.get_data(as_text=True)
    ).group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
