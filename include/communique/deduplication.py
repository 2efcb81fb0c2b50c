"""Recognise copies: canonical URLs and fingerprints of normalised text.

One story is often published under many URLs (tracking parameters, AMP and mobile
variants) and by many outlets (agency copy). Copies join one story cluster, and events
are extracted once per cluster.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid",
        "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "ref_src", "ref_url", "cmpid", "cmp", "ocid", "ncid", "smid", "smtyp", "taid", "s_cid",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "guccounter",
        "guce_referrer", "guce_referrer_sig", "share", "shared", "via", "feature", "rss", "ito",
        "outputtype", "amp", "amp_js_v", "usqp", "__twitter_impression", "spm", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "xtor", "partner", "sr_share", "trk",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_", "at_")
_MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.", "mobil.")
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp(?:\.html?)?|/amp\.html?)$", re.IGNORECASE)
_SLASHES = re.compile(r"/{2,}")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def canonical_url(url: str) -> str:
    """A canonical form of ``url`` so that variants of one page compare equal.

    Lower-cases scheme and host, drops ``www.``, default ports, fragments, tracking
    parameters, AMP and mobile variants and trailing slashes, and sorts the remaining
    parameters. The result is a key, not always a fetchable URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").rstrip(".").lower()
    for prefix in _MOBILE_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = _SLASHES.sub("/", quote(unquote(parts.path), safe="/%:@!$&'()*+,;=-._~")) or "/"
    path = _AMP_PATH.sub("", path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(_kept_params(parts.query)), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _kept_params(query: str) -> list[tuple[str, str]]:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        name = key.lower()
        if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        kept.append((key, value))
    return kept


def article_id(canonical: str) -> str:
    """Deterministic article id: the first 32 hex digits of sha256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words, for exact-duplicate hashing."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def text_fingerprint(text: str) -> str | None:
    """sha256 of the normalised text; ``None`` for text with no words."""
    normal = normalise_text(text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None
