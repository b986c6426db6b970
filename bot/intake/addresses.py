"""Which addresses a link may reach: public ones only, unless the operator allows the rest.

A link to ``localhost``, to the cloud's metadata address or to a machine on
the server's own network would let anyone who may add articles make the bot
read internal pages. The check runs on the addresses a name resolves to, in
the resolver the connection itself uses (:class:`CheckedResolver`), so a
name cannot resolve to a public address for the check and to a private one
for the connection; IP literals in a link are checked the same way.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.intake.errors import PrivateAddressRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[str, IPAddress], bool]  # (host name, address): may it be reached?
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is a global unicast one.

    Refused: private, loopback, link-local, multicast, reserved, unspecified,
    shared (carrier NAT) and documentation ranges, in IPv4 and IPv6, and IPv6
    forms that carry an IPv4 address (mapped, 6to4, NAT64) when that one is.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def public_only(host: str, address: IPAddress) -> bool:
    """The production check: the address alone decides, whatever the name."""
    return is_public_address(address)


class CheckedResolver(AbstractResolver):
    """Resolves a name, then keeps only the addresses ``check`` allows.

    aiohttp connects to what this returns, so the connection goes to a checked
    address; when none is left the fetch ends in :class:`PrivateAddressRefused`.
    ``inner`` is the resolver asked first (the system's by default; tests give
    one that knows a made-up public name).
    """

    def __init__(
        self, check: AddressCheck = public_only, inner: AbstractResolver | None = None
    ) -> None:
        self.check = check
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if self._inner is None:
            self._inner = ThreadedResolver()
        name = host.rstrip(".")
        found = await self._inner.resolve(host, port, family)
        allowed = [r for r in found if self.check(name, ipaddress.ip_address(r["host"]))]
        if not allowed:
            raise PrivateAddressRefused(name)
        return allowed

    def check_literal(self, host: str) -> None:
        """Refuse a link whose host is an IP address ``check`` does not allow.

        Legacy IPv4 spellings (``127.1``, ``2130706433``, ``0x7f000001``) count as
        the address the system would make of them.
        """
        address = _literal(host)
        if address is not None and not self.check(host, address):
            raise PrivateAddressRefused(host)

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not _LEGACY_IPV4.match(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None
