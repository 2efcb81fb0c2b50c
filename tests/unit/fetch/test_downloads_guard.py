"""The SSRF guard: its verdicts on addresses (no network), then the client refusing before connecting."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import replace

import pytest

from communique.errors import BlockedURLError, ConfigError, FetchError
from communique.fetch.downloads import HttpClient
from communique.fetch.netguard import METADATA_ADDRESSES, check_address
from communique.settings import HttpSettings
from tests.support.http_server import LocalHTTPServer, Reply
from tests.support.loopback import loopback_only
from tests.support.tls import TlsFiles, make_certificates

# --- check_address: pure decisions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link_local"),
        ("fe80::1", "link_local"),
        ("fe80::1%eth0", "link_local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "shared_cgnat"),
        ("100.127.255.254", "shared_cgnat"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "broadcast"),
        ("192.0.0.8", "reserved"),
        ("192.0.2.10", "documentation"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.9", "documentation"),
        ("2001:db8::1", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("fec0::1", "site_local"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"),
        ("169.254.169.254", "cloud_metadata"),
        ("169.254.170.2", "cloud_metadata"),
        ("fd00:ec2::254", "cloud_metadata"),
        ("100.100.100.200", "cloud_metadata"),
        ("168.63.129.16", "cloud_metadata"),
        ("::ffff:127.0.0.1", "ipv4_mapped:loopback"),
        ("::ffff:10.1.2.3", "ipv4_mapped:private"),
        ("::ffff:169.254.169.254", "ipv4_mapped:cloud_metadata"),
        ("::ffff:93.184.216.34", "ipv4_mapped"),  # a special-purpose block, whatever it embeds
        ("::ffff:0:a00:1", "ipv4_translated:private"),
        ("2002:7f00:1::1", "6to4:loopback"),
        ("2002:a9fe:a9fe::1", "6to4:cloud_metadata"),
        ("64:ff9b::7f00:1", "nat64:loopback"),
        ("64:ff9b::a00:1", "nat64:private"),
        ("64:ff9b:1::1", "private"),
        ("::127.0.0.1", "ipv4_compatible:loopback"),
        ("not-an-ip", "not_an_ip"),
    ],
)
def test_refused_addresses(address: str, reason: str) -> None:
    assert check_address(address) == reason


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "151.101.1.140",
        "100.63.255.255",  # just below CGNAT
        "100.128.0.0",  # just above
        "172.32.0.1",  # just above 172.16/12
        "2606:4700:4700::1111",
        "2a00:1450:4007:80f::200e",
        "64:ff9b::5db8:d822",  # NAT64 of a public address
        "2002:5db8:d822::1",  # 6to4 of a public address
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert check_address(address) is None
    assert check_address(ipaddress.ip_address(address)) is None


def test_every_metadata_address_is_refused() -> None:
    assert all(check_address(a) == "cloud_metadata" for a in METADATA_ADDRESSES)


# --- the client: refusal happens before any connection -------------------------------------------------


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as running:
        yield running


def guarded(server: LocalHTTPServer, **changes: object) -> HttpSettings:
    """The guard on, with only the local server's exact origin let through (as the demo site is)."""
    base = HttpSettings(allowed_origins=(server.origin,), max_retries=0, respect_robots_txt=False, total_timeout=5.0)
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.1/feed.xml", "private"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata"),
        ("http://[::ffff:127.0.0.1]:{port}/feed.xml", "ipv4 mapped:loopback"),
        ("http://100.64.0.1/", "shared cgnat"),
        ("http://0.0.0.0:{port}/feed.xml", "unspecified"),
    ],
)
def test_redirect_to_a_refused_address_never_connects(server: LocalHTTPServer, target: str, reason: str) -> None:
    server.redirect("/feed.xml", target.format(port=server.port))
    with loopback_only() as connections, HttpClient(guarded(server)) as client:
        with pytest.raises(BlockedURLError) as caught:
            client.fetch(server.url("/feed.xml"), kind="feed")
        assert set(connections) == {("127.0.0.1", server.port)}  # only the allowed server was contacted
    assert caught.value.reason == "blocked"
    assert reason in caught.value.detail


def test_redirect_to_a_name_resolving_to_loopback_is_refused_after_resolution(
    server: LocalHTTPServer,
) -> None:
    server.redirect("/feed.xml", f"http://localhost:{server.port}/feed.xml")
    with loopback_only() as connections, HttpClient(guarded(server)) as client:
        with pytest.raises(BlockedURLError, match=r"localhost resolves to .*loopback"):
            client.fetch(server.url("/feed.xml"))
        assert set(connections) == {("127.0.0.1", server.port)}
    assert server.hits("/feed.xml") == 1


def test_allowed_origins_are_exact(server: LocalHTTPServer) -> None:
    server.route("/feed.xml", Reply(body=b"ok"))
    with loopback_only() as connections, HttpClient(guarded(server)) as client:
        assert client.fetch(server.url("/feed.xml")).body == b"ok"
        for other in (
            f"http://localhost:{server.port}",
            f"https://127.0.0.1:{server.port}",
            "http://127.0.0.1:1",
        ):
            with pytest.raises(BlockedURLError):
                client.fetch(other + "/feed.xml")
        assert len(connections) == 1


def test_allowed_origin_without_port_means_the_default_port(server: LocalHTTPServer) -> None:
    with (
        loopback_only() as connections,
        HttpClient(guarded(server, allowed_origins=("http://127.0.0.1",))) as client,
    ):
        with pytest.raises(BlockedURLError):
            client.fetch(server.url("/feed.xml"))
        assert connections == []


@pytest.mark.parametrize("origin", ["127.0.0.1:8765", "ftp://127.0.0.1", "http://127.0.0.1:8765/feeds", "http://"])
def test_malformed_allowed_origins_are_a_configuration_error(origin: str) -> None:
    with pytest.raises(ConfigError, match="allowed origin"):
        HttpClient(HttpSettings(allowed_origins=(origin,)))


def test_allow_private_addresses_turns_the_guard_off(server: LocalHTTPServer) -> None:
    server.route("/feed.xml", Reply(body=b"ok"))
    settings = guarded(server, allowed_origins=(), allow_private_addresses=True)
    with loopback_only(), HttpClient(settings) as client:
        assert client.fetch(f"http://localhost:{server.port}/feed.xml").body == b"ok"
        assert client.fetch(server.url("/feed.xml")).body == b"ok"


def test_a_name_resolving_to_any_refused_address_is_refused() -> None:
    """Mixed answers (one public, one private) are refused: we cannot know which one we would reach."""
    answers = {
        "intranet.example": ["10.1.2.3"],
        "mixed.example": ["93.184.216.34", "127.0.0.1"],
        "metadata.google.internal": ["169.254.169.254"],
    }
    settings = HttpSettings(max_retries=0, respect_robots_txt=False)
    with (
        loopback_only() as connections,
        HttpClient(settings, resolver=lambda host, port: answers[host]) as client,
    ):
        for host, reason in (
            ("intranet.example", "private"),
            ("mixed.example", "loopback"),
            ("metadata.google.internal", "cloud metadata"),
        ):
            with pytest.raises(BlockedURLError, match=reason):
                client.fetch(f"http://{host}/feed.xml")
        assert connections == []


def test_the_connection_goes_to_the_address_that_was_checked(server: LocalHTTPServer) -> None:
    """One resolution per connection, by us: the socket layer is never asked again (no rebinding window),
    and the Host header still names the host."""
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    server.route("/feed.xml", Reply(body=b"ok"))
    settings = HttpSettings(allow_private_addresses=True, max_retries=0, respect_robots_txt=False)
    # loopback_only refuses any system lookup of "news.test": only our resolver may answer.
    with loopback_only() as connections, HttpClient(settings, resolver=resolver) as client:
        assert client.fetch(f"http://news.test:{server.port}/feed.xml").body == b"ok"
        assert client.fetch(f"http://news.test:{server.port}/feed.xml").body == b"ok"  # pooled connection
        assert connections == [("127.0.0.1", server.port)]
    assert lookups == ["news.test"]
    assert server.requests[0].headers["host"] == f"news.test:{server.port}"


def test_dns_failure_is_reported() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    settings = HttpSettings(max_retries=0, respect_robots_txt=False)
    with (
        loopback_only(),
        HttpClient(settings, resolver=resolver) as client,
        pytest.raises(FetchError) as caught,
    ):
        client.fetch("http://no-such-host.example/feed.xml")
    assert caught.value.reason == "dns_error"
    assert not isinstance(caught.value, BlockedURLError)


# --- https: the pinned address keeps SNI, certificate checks and Host on the name ----------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_certificates(tmp_path_factory.mktemp("tls"), ["news.test"])


def test_https_to_a_pinned_address_verifies_the_name(tls_files: TlsFiles) -> None:
    with loopback_only() as connections, LocalHTTPServer(tls=tls_files.server_context()) as server:
        server.route("/feed.xml", Reply(body=b"secure"))
        origin = f"https://news.test:{server.port}"
        settings = HttpSettings(allowed_origins=(origin,), max_retries=0, respect_robots_txt=False)
        resolver = {"news.test": ["127.0.0.1"]}
        with HttpClient(settings, resolver=lambda h, p: resolver[h], ssl_context=tls_files.client_context()) as client:
            assert client.fetch(origin + "/feed.xml").body == b"secure"
        assert connections == [("127.0.0.1", server.port)]
        assert server.server_names == ["news.test"]  # SNI names the host, not the address
        assert server.requests[0].headers["host"] == f"news.test:{server.port}"


def test_https_certificate_for_another_name_is_refused(tls_files: TlsFiles) -> None:
    with loopback_only(), LocalHTTPServer(tls=tls_files.server_context()) as server:
        server.route("/feed.xml", Reply(body=b"secure"))
        settings = HttpSettings(allowed_origins=(server.origin,), max_retries=2, respect_robots_txt=False)
        with (
            HttpClient(settings, ssl_context=tls_files.client_context()) as client,
            pytest.raises(FetchError) as caught,
        ):
            client.fetch(server.url("/feed.xml"))  # https://127.0.0.1:port: the certificate names news.test
    assert caught.value.reason == "tls_error"
    assert server.requests == []
