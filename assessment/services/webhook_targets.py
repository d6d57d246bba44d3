"""Where a webhook may be sent, and the POST itself: http and https URLs only, never into a private or
local network unless the configuration allows it, and always to the very address that was checked.

Resolving a host name and then connecting by name would leave a window in which the name could point
elsewhere (DNS rebinding); so the host is resolved once per attempt, every address it has is checked,
and the connection is opened to one of those addresses, with the name kept for the Host header and
for checking the TLS certificate.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from assessment.engine.text import N_

MAX_URL = 2000
"""The longest address a webhook may have, in characters (the column's size)."""
TIMEOUT = 5
"""Seconds to wait for the endpoint to connect, and then for each read: a slow endpoint fails soon."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_PRINTABLE = "".join(chr(code) for code in range(33, 127))
"""What a request line may hold as it is: anything else in a path (letters of other alphabets) is %-escaped."""


class TargetError(ValueError):
    """An address no webhook is sent to; `message` is an English msgid, `figures` its numbers."""

    def __init__(self, message: str, **figures: int) -> None:
        super().__init__(message)
        self.message = message
        self.figures = figures


NOT_WEB = N_("Enter an address that starts with https:// or http:// and names a host.")
CREDENTIALS = N_("Leave any user name and password out of the address.")
TOO_LONG = N_("Enter an address of at most %(count)s characters.")
UNKNOWN_HOST = N_("No address is found for this host name: check its spelling.")
INTERNAL = N_("This address leads into a private or local network, where webhooks are never sent.")


@dataclass(frozen=True)
class Endpoint:
    """A webhook's URL, read and checked."""

    https: bool
    host: str
    """In ASCII: a name in other letters is written in IDNA (xn--...)."""
    port: int
    path: str
    """The path and query the request asks for."""


def parse(url: str) -> Endpoint:
    """The endpoint `url` names, or a TargetError: not http(s), with a user or password, or too long."""
    if len(url) > MAX_URL:
        raise TargetError(TOO_LONG, count=MAX_URL)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise TargetError(NOT_WEB)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TargetError(NOT_WEB)
    if "@" in parts.netloc:
        raise TargetError(CREDENTIALS)
    try:
        port = parts.port
    except ValueError:
        raise TargetError(NOT_WEB) from None
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise TargetError(NOT_WEB) from None
    https = parts.scheme.lower() == "https"
    path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_PRINTABLE)
    return Endpoint(https, host, port or (443 if https else 80), path)


def check(url: str, allow_private: bool) -> Endpoint:
    """The endpoint of `url` if a webhook may be registered there; the host is resolved and its addresses
    checked unless `allow_private` (they are checked again at each delivery, as DNS may change)."""
    endpoint = parse(url)
    if not allow_private:
        address_of(endpoint, allow_private)
    return endpoint


def address_of(endpoint: Endpoint, allow_private: bool) -> str:
    """The address to connect to: the host's first, once every address it resolves to is found public
    (unless `allow_private`), so that no address of the name can lead inside."""
    try:
        found = socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetError(UNKNOWN_HOST) from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise TargetError(UNKNOWN_HOST)
    if not allow_private and any(internal(ipaddress.ip_address(a.partition("%")[0])) for a in addresses):
        raise TargetError(INTERNAL)
    return addresses[0]


def internal(address: IPAddress) -> bool:
    """Whether `address` (or an IPv4 address an IPv6 one carries) is loopback, private, link-local,
    multicast, reserved, unspecified or otherwise not on the public internet."""
    carried: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        carried += [a for a in (address.ipv4_mapped, address.sixtofour, *(address.teredo or ())) if a is not None]
    return any(
        a.is_loopback
        or a.is_private
        or a.is_link_local
        or a.is_multicast
        or a.is_reserved
        or a.is_unspecified
        or not a.is_global
        for a in carried
    )


def post(endpoint: Endpoint, address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `endpoint` through a connection to `address`; the status code, a redirect never
    followed. Raises OSError (timeouts and TLS errors among them) or http.client.HTTPException when no
    answer comes."""
    connection: http.client.HTTPConnection = (
        _PinnedTLSConnection(endpoint.host, endpoint.port, address)
        if endpoint.https
        else _PinnedConnection(endpoint.host, endpoint.port, address)
    )
    try:
        connection.request("POST", endpoint.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


class _PinnedConnection(http.client.HTTPConnection):
    """Plain HTTP to `address`, whatever the host name resolves to by now."""

    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLSConnection(http.client.HTTPSConnection):
    """HTTPS to `address`, the certificate checked against the host name."""

    def __init__(self, host: str, port: int, address: str) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=TIMEOUT, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
