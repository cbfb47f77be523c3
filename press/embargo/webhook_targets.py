"""Where webhooks may be sent: public addresses, and the private networks an operator allows.

An approver chooses a webhook's URL, and the delivery log shows what came of each attempt: a
URL at a loopback, private, link-local or cloud-metadata address would make press a probe of
its own network. Such addresses are refused when a URL is set, and again when a delivery
connects, on the addresses its host name resolves to then. The connection goes to the
address that was checked, not to a second resolution of the name, so a name that answers
a public address to the check and a private one to the connect (DNS rebinding) gains
nothing. An on-premises website on a private network is allowed by naming its network in
PRESS_WEBHOOK_ALLOW_NETWORKS; cloud-metadata addresses stay refused whatever is allowed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# The instance-metadata services of the clouds (AWS, GCP, Azure: 169.254.169.254; AWS ECS:
# 169.254.170.2; Alibaba: 100.100.100.200; AWS over IPv6): credentials live there.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
RESOLVE_SECONDS = 5.0

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


class TargetRefused(Exception):
    """The webhook's host is at an address press does not send webhooks to."""


@dataclass(frozen=True)
class TargetPolicy:
    """Which addresses webhooks may reach: global ones, and those in `allowed`."""

    allowed: tuple[IPNetwork, ...] = ()

    def refuses(self, address: IPAddress) -> bool:
        return any(self._refuses_one(a) for a in _meanings(address))

    def _refuses_one(self, address: IPAddress) -> bool:
        if address in METADATA or address.is_unspecified or address.is_multicast:
            return True
        if any(address in network for network in self.allowed):
            return False
        return not address.is_global


@cache
def target_policy(allowed_networks: tuple[str, ...]) -> TargetPolicy:
    """The policy of PRESS_WEBHOOK_ALLOW_NETWORKS (validated by the settings)."""
    return TargetPolicy(tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks))


def _meanings(address: IPAddress) -> list[IPAddress]:
    """The address, and the IPv4 address it carries when it is a mapped, 6to4 or NAT64 form
    of one: ::ffff:10.0.0.1 reaches 10.0.0.1."""
    if not isinstance(address, ipaddress.IPv6Address):
        return [address]
    inner = address.ipv4_mapped or address.sixtofour
    if inner is None and address in NAT64:
        inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return [address] if inner is None else [address, inner]


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


# Special-use names (RFC 6761, RFC 2606) that name nothing reachable: never asked of a DNS
# server. (`localhost` is answered by the hosts file, as the system resolver does.)
_UNREACHABLE_SUFFIXES = (".example", ".invalid", ".test")


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses of `host` in the order the system resolver gives them."""
    name = "." + host.lower().rstrip(".")
    if name.endswith(_UNREACHABLE_SUFFIXES):
        raise OSError(f"{host} is a special-use name that resolves to nothing")
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


async def check_webhook_url(url: str, policy: TargetPolicy, resolver: Resolver = resolve) -> None:
    """Raise TargetRefused if `url`'s host is, or now resolves to, a refused address. A name
    that does not resolve yet is let through: each delivery checks it again."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    address = literal_address(host)
    if address is not None:
        addresses = [address]
    else:
        try:
            async with asyncio.timeout(RESOLVE_SECONDS):
                addresses = await resolver(host, parts.port or 443)
        except (OSError, TimeoutError, UnicodeError):
            return
    if any(policy.refuses(a) for a in addresses):
        raise TargetRefused(host)


class CheckedNetwork(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the policy allows: the host is resolved once,
    every address it has is checked, and the connection goes to a checked address. TLS is
    still negotiated and verified for the host name."""

    def __init__(self, policy: TargetPolicy, resolver: Resolver = resolve) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        if any(self.policy.refuses(a) for a in addresses):
            raise TargetRefused(host)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def _addresses(
        self,
        host: str,
        port: int,
        timeout: float | None,  # noqa: ASYNC109 - the connect timeout, which resolving is part of
    ) -> Sequence[IPAddress]:
        address = literal_address(host)
        if address is not None:
            return [address]
        try:
            async with asyncio.timeout(timeout):
                return await self.resolver(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from exc
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}") from exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused(path)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool that connects through CheckedNetwork."""

    def __init__(self, policy: TargetPolicy, resolver: Resolver = resolve) -> None:
        super().__init__(retries=0)
        # httpx takes no network backend of its own; its pool (httpx keeps it in `_pool`)
        # does, so the pool is made again like httpx's, on the checked network.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            retries=0,
            network_backend=CheckedNetwork(policy, resolver),
        )
