"""Fetching pages (bot.intake.fetching) from the local news site: limits, errors, addresses."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.intake import IntakeError, PrivateAddressRefused, draft_from_url
from bot.intake.addresses import CheckedResolver, is_public_address
from bot.intake.fetching import FetchLimits, fetch_page
from tests.bot.intake.conftest import NewsSite

FAST = FetchLimits(timeout=0.5)
FAKE_PUBLIC = "public.test"  # a made-up name the tests' resolver sends to 127.0.0.1


class FakeDNS(AbstractResolver):
    """Answers with fixed addresses, the way a name server would."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.rstrip(".")
        if name not in self.answers:
            raise OSError(f"no test answer for {name}")
        return [
            ResolveResult(hostname=name, host=a, port=port, family=socket.AF_INET, proto=0, flags=0)
            for a in self.answers[name]
        ]

    async def close(self) -> None:
        pass


def one_fake_public_hop() -> CheckedResolver:
    """The real check, except that ``public.test`` (on 127.0.0.1) counts as public."""
    dns = FakeDNS({FAKE_PUBLIC: ["127.0.0.1"], "localhost": ["127.0.0.1"]})
    return CheckedResolver(
        check=lambda host, ip: host == FAKE_PUBLIC or is_public_address(ip), inner=dns
    )


async def test_a_news_page_is_fetched(news_site: str) -> None:
    page = await fetch_page(f"{news_site}/harbour", allow_private=True, limits=FAST)
    assert page.url == f"{news_site}/harbour"
    assert isinstance(page.body, str) and "Eastquay ferry terminal" in page.body


async def test_a_redirect_is_followed_and_the_final_link_kept(news_site: str) -> None:
    draft = await draft_from_url(f"{news_site}/old-harbour", allow_private=True, limits=FAST)
    assert draft.source == f"{news_site}/harbour"
    assert draft.title == "Lowmouth opens its new ferry terminal"


async def test_a_gzip_page_is_decompressed(news_site: str) -> None:
    draft = await draft_from_url(f"{news_site}/observatory-gzip", allow_private=True, limits=FAST)
    assert draft.title == "Observatory on Mount Kessel finds a new comet"
    assert draft.paragraphs[0].startswith("Astronomers at the Mount Kessel observatory")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", r"^the page was not found \(127\.0\.0\.1 answered HTTP 404\)$"),
        ("/gone", r"^the page was not found \(127\.0\.0\.1 answered HTTP 410\)$"),
        ("/broken", r"^127\.0\.0\.1 answered HTTP 503 Service Unavailable$"),
        ("/slow", r"^127\.0\.0\.1 did not send the page within 0\.5 s$"),
        ("/logo.png", r"^the link is not a web page \(image/png\); only HTML pages can be added$"),
        ("/empty", r"^the page at 127\.0\.0\.1 is empty$"),
        ("/huge", r"^the page is larger than 5 MB, too large to add$"),
        ("/huge-unsized", r"^the page is larger than 5 MB, too large to add$"),
        ("/bomb", r"^the page is larger than 5 MB, too large to add$"),
        ("/loop", r"^the link redirects more than 5 times$"),
        ("/section", r"^no article text was found in 127\.0\.0\.1$"),
    ],
)
async def test_a_bad_page_gets_one_line_saying_why(news_site: str, path: str, message: str) -> None:
    with pytest.raises(IntakeError, match=message):
        await draft_from_url(f"{news_site}{path}", allow_private=True, limits=FAST)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a", r"^only http and https links can be added, not ftp:$"),
        ("javascript:alert(1)", r"is not a link; give one that starts with https://$"),
        ("news.example/story", r"is not a link; give one that starts with https://$"),
        ("http://example.org:port/", r"has a port that is not a number$"),
        ("http:///nohost", r"has no host name$"),
    ],
)
async def test_a_bad_link_is_refused_before_any_request(url: str, message: str) -> None:
    with pytest.raises(IntakeError, match=message):
        await fetch_page(url, allow_private=True, limits=FAST)


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LocalHost",
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "[::1]",
        "[::ffff:127.0.0.1]",
    ],
)
async def test_loopback_is_refused_naming_the_setting(news_site: str, host: str) -> None:
    with pytest.raises(PrivateAddressRefused, match="ARTICLEBOT_ALLOW_PRIVATE_URLS=1") as refused:
        await fetch_page(f"http://{host}:{NewsSite.port}/harbour", allow_private=False, limits=FAST)
    assert "\n" not in str(refused.value)


async def test_allowing_private_addresses_reaches_them(news_site: str) -> None:
    page = await fetch_page(
        f"http://localhost:{NewsSite.port}/harbour", allow_private=True, limits=FAST
    )
    assert "Eastquay" in str(page.body)


async def test_private_addresses_are_refused_unless_allowed(news_site: str) -> None:
    with pytest.raises(PrivateAddressRefused):
        await draft_from_url(f"{news_site}/harbour", limits=FAST)


async def test_a_public_hop_may_be_fetched(news_site: str) -> None:
    url = f"http://{FAKE_PUBLIC}:{NewsSite.port}/harbour"
    page = await fetch_page(url, allow_private=False, limits=FAST, resolver=one_fake_public_hop())
    assert "Eastquay" in str(page.body)


@pytest.mark.parametrize(
    ("path", "refused"), [("/to-localhost", "localhost"), ("/to-loopback-ip", "127.0.0.1")]
)
async def test_a_redirect_from_a_public_hop_to_loopback_is_refused(
    news_site: str, path: str, refused: str
) -> None:
    url = f"http://{FAKE_PUBLIC}:{NewsSite.port}{path}"
    with pytest.raises(PrivateAddressRefused) as raised:
        await fetch_page(url, allow_private=False, limits=FAST, resolver=one_fake_public_hop())
    assert raised.value.host == refused


async def test_a_name_with_public_and_private_addresses_connects_to_the_public_one() -> None:
    dns = FakeDNS({"mixed.example": ["10.0.0.7", "93.184.215.14", "127.0.0.1"]})
    found = await CheckedResolver(inner=dns).resolve("mixed.example.", 80)
    assert [r["host"] for r in found] == ["93.184.215.14"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a00:1",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


class NoNetworkDNS(FakeDNS):
    """A resolver on a machine with no network: every name fails, as if unknown."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


async def test_a_link_that_cannot_be_looked_up_says_it_could_not_be_reached() -> None:
    with pytest.raises(IntakeError) as raised:
        await fetch_page(
            "https://www.bbc.co.uk/news/x",
            allow_private=False,
            limits=FAST,
            resolver=CheckedResolver(inner=NoNetworkDNS({})),
        )
    assert str(raised.value).startswith("could not reach www.bbc.co.uk")
    assert "network" in str(raised.value) and "no site is called" not in str(raised.value)
