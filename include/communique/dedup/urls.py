"""Canonical URLs: one story's many addresses (tracking parameters, AMP and mobile variants) made one.

The first and cheapest of the three copy tests (see :mod:`communique.dedup.matching`): two
articles with the same canonical URL are one story, unless their texts clearly differ.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
        "igshid", "li_fat_id", "srsltid", "rb_clickid", "irclickid", "irgwc", "zanpid", "epik", "mc_cid",
        "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "_openstat", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "ml_subscriber", "ml_subscriber_hash", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ocid",
        "ncid", "icid", "smid", "smtyp", "taid", "s_cid", "sc_cid", "soc_src", "soc_trk", "wt.mc_id", "wt_mc",
        "guccounter", "guce_referrer", "guce_referrer_sig", "share", "shared", "via", "feature", "rss", "ito",
        "outputtype", "amp", "amp_js_v", "amp_gsa", "usqp", "__twitter_impression", "spm", "xtor", "xtref",
        "partner", "sr_share", "trk", "trkcampaign", "fb_action_ids", "fb_action_types", "fb_ref", "fb_source",
        "action_object_map", "action_type_map", "action_ref_map", "jsessionid", "phpsessid", "sessionid",
        "dicbo", "wprov", "tpcc", "cid_source",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_", "at_", "ns_", "oly_", "sc_")
_MOBILE_LABELS = frozenset({"m", "mobile", "mobil", "amp"})
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp(?:\.html?)?|/amp\.html?)$", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/amp(?=/.)", re.IGNORECASE)
_AMP_CACHE_HOSTS = (".cdn.ampproject.org", ".amp.cloudflare.com")
_GOOGLE_AMP = re.compile(r"^/amp/(s/)?(.+)$")
_SESSION_IN_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/]*", re.IGNORECASE)
_SLASHES = re.compile(r"/{2,}")


def canonical_url(url: str) -> str:
    """A canonical form of ``url`` so that variants of one page compare equal.

    Lower-cases scheme and host, drops ``www.``, default ports, fragments, session ids,
    tracking parameters, AMP variants (``/amp``, ``.amp``, ``amp.`` hosts, the AMP caches)
    and mobile hosts (``m.``, ``mobile.``) and trailing slashes, and sorts the remaining
    parameters. The result is a key, not always a fetchable URL.
    """
    parts = urlsplit(_unwrap_amp_cache(url.strip()))
    scheme = parts.scheme.lower() or "http"
    host = _canonical_host(parts.hostname or "")
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the host alone
        port = None
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = _SESSION_IN_PATH.sub("", parts.path)
    path = _SLASHES.sub("/", quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")) or "/"
    path = _AMP_PREFIX.sub("", _AMP_PATH.sub("", path)) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(_kept_params(parts.query)), doseq=True)
    fragment = parts.fragment if parts.fragment.startswith("!") else ""  # "#!" routes are part of the address
    return urlunsplit((scheme, netloc, path, query, fragment))


def _canonical_host(hostname: str) -> str:
    host = hostname.rstrip(".").lower()
    with contextlib.suppress(ValueError):  # an IP literal: its shortest form, no label rules
        return ipaddress.ip_address(host).compressed
    if ":" in host:  # an IPv6 literal with a zone ("fe80::1%eth0")
        return host
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    labels = host.split(".")
    # A mobile or AMP label anywhere before the registrable part: m.bbc.co.uk, en.m.wikipedia.org.
    while len(labels) > 2 and (mobile := [i for i, lab in enumerate(labels[:-2]) if lab in _MOBILE_LABELS]):
        del labels[mobile[0]]
    if len(labels) > 2 and labels[0] == "www":
        del labels[0]
    return ".".join(labels)


def _unwrap_amp_cache(url: str) -> str:
    """The publisher's URL behind an AMP cache URL (``*.cdn.ampproject.org/c/s/...``, ``google.com/amp/s/...``)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith(_AMP_CACHE_HOSTS):
        match = re.match(r"^/(?:[a-z]/)*?(s/)?([^/]+\..+)$", parts.path)
        if match:
            return ("https://" if match.group(1) else "http://") + match.group(2)
    if host.startswith(("google.", "www.google.")):
        match = _GOOGLE_AMP.match(parts.path)
        if match and "." in match.group(2).split("/", 1)[0]:
            return ("https://" if match.group(1) else "http://") + match.group(2)
    return url


def _kept_params(query: str) -> list[tuple[str, str]]:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        name = key.lower()
        if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        kept.append((key, value))
    return kept


def resolve_canonical(fetched_canonical: str, declared: str | None) -> str:
    """The article's canonical URL: the page's declared rel=canonical (canonicalised) when it gives one.

    ``fetched_canonical`` is the canonical form of the URL the page was fetched from, the
    fallback. A declared URL that is not absolute http(s) is ignored. A declaration is a
    claim: the deduplication stage checks it against the text before merging two articles
    on it (see ``docs/deduplication.md``).
    """
    if not declared:
        return fetched_canonical
    parts = urlsplit(declared.strip())
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return fetched_canonical
    return canonical_url(declared)


def article_id(canonical: str) -> str:
    """Deterministic article id: the first 32 hex digits of sha256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
