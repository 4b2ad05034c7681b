"""Which address others on the network can reach this machine at.

Listening on 0.0.0.0 (or ::) says nothing about that address, and the host
name often resolves to a loopback one (127.0.1.1 on Debian and Ubuntu). The
address of the interface that reaches the network is found by connecting a
UDP socket: connecting a datagram socket only picks a route, it sends nothing.
"""

from __future__ import annotations

import ipaddress
import socket

# The participants' pages' public address, set by `room --public-url` (and by
# `serve --public-url` for the apps it starts), read by the room.
ROOM_URL = "PILOTBOOK_ROOM_URL"
WILDCARDS = ("0.0.0.0", "::", "")
# Documentation ranges (RFC 5737, RFC 3849): never answered, only routed.
PROBES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def network_address(host: str) -> str:
    """The address to tell others for a server listening on `host` (bare, no brackets)."""
    if host not in WILDCARDS:
        return host
    family = socket.AF_INET6 if host == "::" else socket.AF_INET
    for probe_family, probe in PROBES:
        if probe_family != family:
            continue
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address: str = s.getsockname()[0]
        except OSError:
            continue
        if not is_loopback(address) and not address.startswith("0."):
            return address
    return "127.0.0.1" if family == socket.AF_INET else "::1"


def url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def base_url(host: str, port: int, public_url: str | None = None) -> str:
    """http://ADDRESS:PORT for a server on host:port, unless a public URL is given
    (then used as it is; without a port of its own, the server's port is added)."""
    if public_url:
        from urllib.parse import urlsplit

        url = public_url.rstrip("/")
        return url if urlsplit(url).port is not None else f"{url}:{port}"
    return f"http://{url_host(network_address(host))}:{port}"


def reach(host: str, public_url: str | None = None) -> str:
    """One line saying who can open the address: this machine only, or the network."""
    if public_url:
        return "others open the address above"
    if is_loopback(network_address(host)):
        return "this machine only (listening on loopback; give --host 0.0.0.0 to let others in)"
    return "anyone on this network with the address above"
