"""The sockets of `press serve --workers N` (press/workers.py), without a server: they share
one port, the kernel spreads connections over them, and a port in use is refused."""

from __future__ import annotations

import socket

import pytest

from press.workers import listening_sockets, spreads_connections

pytestmark = pytest.mark.skipif(
    not spreads_connections(), reason="a socket per worker only where the kernel spreads them"
)


def accepted(sock: socket.socket) -> int:
    sock.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def test_connections_spread_over_the_sockets_of_one_port() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 128, 2)
    try:
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1
        clients = [socket.create_connection(("127.0.0.1", *ports)) for _ in range(100)]
        counts = [accepted(sock) for sock in sockets]
        for client in clients:
            client.close()
    finally:
        for sock in sockets:
            sock.close()
    assert sum(counts) == 100
    assert min(counts) >= 30, counts  # an even hash gives fewer about once in 10,000 tries


def test_a_port_where_a_sharing_socket_listens_is_refused() -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="in use"):
            listening_sockets("127.0.0.1", taken.getsockname()[1], 128, 2)
