"""The address the join link and serve's page give out, for each way of listening."""

from __future__ import annotations

import socket

import pytest

from pilotbook.web import net


def test_listening_everywhere_gives_the_address_of_the_interface_to_the_network(monkeypatch):
    # Not the host name's address: that is 127.0.1.1 on Debian and Ubuntu.
    monkeypatch.setattr(socket, "gethostbyname", lambda _name: "127.0.1.1")
    address = net.network_address("0.0.0.0")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            pytest.skip("no route to any network here")
        expected = s.getsockname()[0]
    assert address == expected and not net.is_loopback(address)
    assert net.base_url("0.0.0.0", 8123) == f"http://{address}:8123"
    assert net.reach("0.0.0.0").startswith("anyone on this network")


def test_without_a_network_it_says_this_machine_only(monkeypatch):
    class NoRoute(socket.socket):
        def connect(self, _address):  # type: ignore[no-untyped-def,override]
            raise OSError("Network is unreachable")

    monkeypatch.setattr(net.socket, "socket", NoRoute)
    assert net.network_address("0.0.0.0") == "127.0.0.1"
    assert "this machine only" in net.reach("0.0.0.0")
    assert "this machine only" in net.reach("127.0.0.1")


def test_a_public_url_overrides_the_address_and_gets_the_port_when_it_has_none():
    assert net.base_url("0.0.0.0", 8123, "https://room.example/") == "https://room.example:8123"
    assert net.base_url("0.0.0.0", 8123, "http://room.example:80") == "http://room.example:80"
    assert net.reach("127.0.0.1", "http://room.example") == "others open the address above"


def test_the_room_builds_its_join_link_the_same_way(ws, monkeypatch):
    from pilotbook.web.room import Room

    room = Room(lambda: ws, host="0.0.0.0", port=0)
    monkeypatch.setattr(net, "network_address", lambda h: "192.0.2.77" if h == "0.0.0.0" else h)
    room.port = 5555
    assert room.join_url("ABCDEF") == "http://192.0.2.77:5555/r/ABCDEF"
    assert not room.loopback_only
    other = Room(lambda: ws, public_url="http://room.example:9000")
    assert other.join_url("ABCDEF") == "http://room.example:9000/r/ABCDEF"
    assert Room(lambda: ws).loopback_only


def test_a_download_name_with_a_comma_or_a_semicolon_stays_whole():
    import re
    from urllib.parse import unquote

    from pilotbook.tui.serve import disposition

    for name in ("brief, final.md", "brief; v2.md", 'a "quoted" é.md'):
        header = disposition("attachment", name)
        # What browsers read (RFC 6266): the encoded name, one token, nothing cut.
        [encoded] = re.findall(r"filename\*=UTF-8''([^;\s]+)$", header)
        assert unquote(encoded) == name, header
        # The fallback is one quoted string.
        [fallback] = re.findall(r'filename="([^"]*)";', header)
        assert len(fallback) == len(name)


@pytest.mark.parametrize("command", ["room", "serve"])
@pytest.mark.parametrize("url", ["ftp://room.example", "http://", "http://room.example:port"])
def test_a_bad_public_url_is_one_line_and_a_usage_exit(tmp_path, command, url):
    from typer.testing import CliRunner

    from pilotbook.cli.root import app

    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), command, "--public-url", url])
    assert result.exit_code == 64, result.output  # a usage mistake (docs/guide.md's table)
    assert "--public-url" in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
