"""Page metadata from one parsed lxml tree: JSON-LD, OpenGraph, ``article:*`` meta, rel=canonical, ``<time>``.

The tree is the one trafilatura also reads (see :mod:`communique.articles.htmlprocessing`), so a page is parsed
once. Everything here only reads the tree. Each field takes the first source that states it, in the
order publishers maintain them best: JSON-LD (``NewsArticle`` and kin), then OpenGraph / ``article:*`` /
Dublin Core / microdata ``<meta>``, then visible markup (``<title>``, ``<h1>``, ``<time>``, bylines).
Dates are kept as candidates with their source; :mod:`communique.articles.pubdates` chooses among them.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from communique.articles.pubdates import DateCandidate, candidate, url_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

_ARTICLE_TYPES = frozenset(
    (
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "satiricalarticle",
        "blogposting", "liveblogposting", "socialmediaposting", "discussionforumposting", "report",
        "techarticle", "scholarlyarticle", "advertisercontentarticle", "claimreview",
    )
)  # fmt: skip
_PAGE_TYPES = frozenset(("webpage", "itempage"))
_MEDIA_TYPES = frozenset(("videoobject", "imageobject", "audioobject", "mediaobject", "clip", "podcastepisode"))
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "datepublished", "og:pubdate", "pubdate", "publishdate", "publish_date", "publish-date",
    "published-date", "date_published", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "date", "sailthru.date", "parsely-pub-date",
    "article.published", "originalpublicationdate", "displaydate", "epoch-publish-date",
    "cxenseparse:recs:publishtime", "citation_publication_date", "citation_date", "prism.publicationdate",
    "rnews:datepublished", "pdate", "datecreated",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:modified", "datemodified", "dcterms.modified",
    "dc.date.modified", "modified_time", "last-modified", "lastmod", "search.updated",
)  # fmt: skip
_AUTHOR_META = (
    "author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
    "citation_author", "twitter:creator:name",
)  # fmt: skip
_SCHEMELESS_HOST = re.compile(r"^(?:www\d?\.)[\w-]+(?:\.[\w-]+)+/")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|--|–|—|::|»|·|/)\s+")
_TITLE_SEPARATORS_KEPT = re.compile(r"(\s+(?:\||-|--|–|—|::|»|·|/)\s+)")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:analysis|opinion|commentary|story|written|reported|words|text|interview)\s+)?"
    r"(?:by|por|par|von|av|af|przez|от)\s*:?\s+",
    re.IGNORECASE,
)
_WITH_COAUTHORS = re.compile(r"\((?:avec|with|mit|con|com)\s+([^)]*)\)", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"[\d@/<>{}=|]")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(?:writer|editor|editor-at-large|correspondent|reporter|columnist|contributor|producer|analyst|bureau"
    r"|updated|published)s?\b",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\||&|\s[-–—]\s|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", re.IGNORECASE)
_TRAILING_DAY = re.compile(
    r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|published)\b.*$", re.IGNORECASE
)
_GLUED_CAPS = re.compile(r"^([A-Z][A-Z .'-]*[A-Z])(?=[A-Z][a-z])")  # "ERIC TUCKERAssociated Press"
_NOT_NAMES = frozenset(("by", "por", "par", "von", "and", "staff", "author", "authors"))
_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_MARKED_XPATH = (
    '//*[@itemprop="datePublished" or @itemprop="dateModified" or @itemprop="author"]|//a[@rel="author"]'
    '|//*[contains(@class, "byline")]'
)
_MAX_BYLINE_CHARS = 120
_DATE_PROPS = ("datePublished", "dateModified")
_MAX_JSONLD_CHARS = 2_000_000
_MAX_AUTHORS = 10
_MAX_H1S = 3


@dataclass(slots=True)
class PageMetadata:
    """What a page declares about itself; dates stay candidates until :mod:`pubdates` chooses."""

    title: str | None = None
    #: Every spelling of the headline (og:title, <title> parts, h1...), to drop it from the body text.
    headlines: tuple[str, ...] = ()
    canonical_url: str | None = None
    site_name: str | None = None
    authors: tuple[str, ...] = ()
    description: str | None = None
    declared_language: str | None = None
    published: list[DateCandidate] = field(default_factory=list)
    modified: list[DateCandidate] = field(default_factory=list)
    #: JSON-LD ``articleBody``, a fallback when the extractor finds too little.
    article_body: str | None = None
    #: JSON-LD ``isAccessibleForFree`` (``None`` when the page does not say).
    free_access: bool | None = None
    #: CSS selectors JSON-LD marks as the paywalled part (``hasPart.cssSelector``).
    paywalled_selectors: tuple[str, ...] = ()


@dataclass(slots=True)
class _Sources:
    """The raw statements gathered in one pass over the tree."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    canonical: list[str] = field(default_factory=list)
    doc_title: str = ""
    h1s: list[str] = field(default_factory=list)
    times: list[HtmlElement] = field(default_factory=list)
    #: Microdata elements (other than <meta>) for datePublished, dateModified and author, plus rel=author.
    marked: list[HtmlElement] = field(default_factory=list)

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None


def extract_metadata(tree: HtmlElement, url: str = "") -> PageMetadata:
    """Read title, canonical URL, outlet, authors, language, dates and paywall markup from ``tree``."""
    sources = _gather(tree)
    main = _main_object(sources.jsonld)
    ids = {obj["@id"]: obj for obj in sources.jsonld if isinstance(obj.get("@id"), str)}
    site_name = _site_name(sources, main, ids)
    title, headlines = _title(sources, main, site_name)
    meta = PageMetadata(
        title=title,
        headlines=headlines,
        canonical_url=_canonical(sources, url),
        site_name=site_name,
        authors=_authors(sources, main, ids, site_name),
        description=_text(sources.first("og:description", "description", "twitter:description"))
        or _text(_string(main.get("description"))),
        declared_language=_declared_language(tree, sources, main),
        article_body=_string(main.get("articleBody")) or None,
    )
    meta.published, meta.modified = _dates(sources, main, url, meta.canonical_url)
    meta.free_access, meta.paywalled_selectors = _paywall_markup(sources, main)
    return meta


def _gather(tree: HtmlElement) -> _Sources:
    """One pass over the head-like elements, one XPath for microdata."""
    sources = _Sources()
    for el in tree.iter("meta", "link", "script", "title", "h1", "time"):
        tag = el.tag
        if tag == "meta":
            _read_meta(el, sources.meta)
        elif tag == "link" and "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            sources.canonical.append(el.get("href", "").strip())
        elif tag == "script" and "ld+json" in (el.get("type") or "").lower():
            _flatten(_load_jsonld(el.text or ""), sources.jsonld, 0)
        elif tag == "title" and not sources.doc_title:
            sources.doc_title = _text(el.text_content())
        elif tag == "h1" and len(sources.h1s) < _MAX_H1S:
            sources.h1s.append(_text(el.text_content()))
        elif tag == "time":
            sources.times.append(el)
    sources.marked = [el for el in tree.xpath(_MARKED_XPATH) if el.tag != "meta"]
    return sources


def _read_meta(el: HtmlElement, meta: dict[str, list[str]]) -> None:
    content = el.get("content", el.get("value"))
    if content is None:
        return
    for attr in ("property", "name", "itemprop", "http-equiv"):
        key = el.get(attr)
        if key:
            meta.setdefault(key.strip().lower(), []).append(content.strip())


def _load_jsonld(text: str) -> Any:
    text = text.strip()
    if not text or len(text) > _MAX_JSONLD_CHARS:
        return None
    for wrapper in ("<!--", "//<![CDATA[", "<![CDATA["):
        if text.startswith(wrapper):
            text = text[len(wrapper) :]
    text = text.rstrip().removesuffix("-->").removesuffix("//]]>").removesuffix("]]>").rstrip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        text = _TRAILING_COMMA.sub(r"\1", text)  # hand-written JSON-LD often has trailing commas
        start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
        try:
            return json.JSONDecoder(strict=False).raw_decode(text[start:])[0] if start >= 0 else None
        except ValueError:
            LOGGER.debug("unreadable JSON-LD block (%d chars)", len(text))
            return None


def _flatten(node: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 4:
        return
    if isinstance(node, list):
        for item in node:
            _flatten(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(node.get(key), (dict, list)):
                _flatten(node[key], out, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower().rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _main_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object that describes the article itself (first article type, else the web page)."""
    for obj in objects:
        if _types(obj) & _ARTICLE_TYPES:
            return obj
    for obj in objects:
        if _types(obj) & _PAGE_TYPES and ("datePublished" in obj or "headline" in obj):
            return obj
    for obj in objects:
        if "datePublished" in obj and not _types(obj) & _MEDIA_TYPES:
            return obj
    return {}


def _string(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""


def _text(value: str | None) -> str:
    return _SPACES.sub(" ", value).strip() if value else ""


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _site_name(sources: _Sources, main: dict[str, Any], ids: dict[str, dict[str, Any]]) -> str | None:
    publisher = _resolve(main.get("publisher"), ids)
    name = sources.first("og:site_name") or _name_of(publisher) or sources.first("application-name")
    return _text(name) or None


def _resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in ids:
        return ids[value["@id"]]
    return value


def _name_of(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _string(value.get("name"))
    return _string(value)


def _title(sources: _Sources, main: dict[str, Any], site_name: str | None) -> tuple[str | None, tuple[str, ...]]:
    spellings = [
        _text(_string(main.get("headline"))),
        _text(sources.first("og:title")),
        _text(sources.first("twitter:title")),
        sources.doc_title,
        *sources.h1s,
    ]
    spellings = [s for s in spellings if s]
    if not spellings:
        return None, ()
    title = _strip_site_name(spellings[0], site_name, sources.h1s)
    parts = [p for s in spellings for p in _TITLE_SEPARATORS.split(s)]
    headlines = tuple(dict.fromkeys(s for s in [title, *spellings, *parts] if len(s.split()) >= 2))
    return title, headlines


def _strip_site_name(raw: str, site_name: str | None, h1s: list[str]) -> str:
    """``Headline | Section | Outlet`` → ``Headline`` (readability's rule, plus the declared site name)."""
    norm_h1s = {_norm(h) for h in h1s if h}
    if _norm(raw) in norm_h1s:
        return raw
    pieces = _TITLE_SEPARATORS_KEPT.split(raw)  # text, separator, text, separator, ..., text
    parts = pieces[0::2]
    if len(parts) < 2 or not all(p.strip() for p in parts):
        return raw
    for end in range(len(parts) - 1, 0, -1):
        head = "".join(pieces[: 2 * end - 1])
        if _norm(head) in norm_h1s:
            return head
    site = _norm(site_name or "")
    start, end = 0, len(parts)
    while end - start > 1:
        last = parts[end - 1]
        is_site = bool(site) and (_norm(last) in site or site in _norm(last))
        looks_like_label = len(last.split()) <= 3 and len(parts[start].split()) >= 3
        if not (is_site or looks_like_label or "." in last.split()[-1]):
            break
        end -= 1
    if end - start > 1 and site and _norm(parts[start]) in site:
        start += 1
    return "".join(pieces[2 * start : 2 * end - 1])


def _canonical(sources: _Sources, url: str) -> str | None:
    """The declared canonical URL (rel=canonical, else og:url), when it is an absolute article URL."""
    page_host = urlsplit(url).hostname or ""
    og_url = _absolute(sources.first("og:url"), url)
    for raw in sources.canonical:
        link = _absolute(raw, url)
        if link is None:
            continue
        host = urlsplit(link).hostname or ""
        og_host = urlsplit(og_url).hostname if og_url else None
        if page_host and host != page_host and og_host == page_host:
            return og_url  # a CMS-internal host in rel=canonical, contradicted by og:url
        return link
    return og_url


def _absolute(raw: str | None, base: str) -> str | None:
    if not raw or len(raw) > 2048 or any(mark in raw for mark in ("{{", "${", "%7B%7B", "<")):
        return None
    raw = raw.strip()
    if _SCHEMELESS_HOST.match(raw):
        raw = "//" + raw  # "www.example.com/path": a host written without its scheme
    link = urljoin(base, raw) if base else raw
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    base_path = urlsplit(base).path if base else ""
    if parts.path in ("", "/") and base_path not in ("", "/"):
        return None  # a site-wide canonical pointing at the home page
    return link


def _declared_language(tree: HtmlElement, sources: _Sources, main: dict[str, Any]) -> str | None:
    declared = (
        tree.get("lang")
        or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        or tree.get("xml:lang")
        or sources.first("content-language", "og:locale", "dc.language", "language")
        or _string(main.get("inLanguage"))
    )
    return _text(declared) or None


def _authors(
    sources: _Sources,
    main: dict[str, Any],
    ids: dict[str, dict[str, Any]],
    site_name: str | None,
) -> tuple[str, ...]:
    candidates: list[list[str]] = []
    for key in ("author", "creator"):
        people = _resolve(main.get(key), ids)
        people = people if isinstance(people, list) else [people]
        candidates.append([_name_of(p) for p in people if p])
    for key in _AUTHOR_META:
        candidates.append([v for v in sources.meta.get(key, ()) if not v.startswith("http")])
    marked = [el for el in sources.marked if el.get("itemprop") == "author" or el.get("rel") == "author"]
    candidates.append([_name_from_element(el) for el in marked[:_MAX_AUTHORS]])
    bylines = [_text(el.text_content()) for el in sources.marked if "byline" in (el.get("class") or "")]
    candidates.append([b for b in bylines[:_MAX_H1S] if len(b) <= _MAX_BYLINE_CHARS])
    for raw_names in candidates:
        names = _clean_names(raw_names, site_name)
        if names:
            return names
    return ()


def _name_from_element(el: HtmlElement) -> str:
    named = el.xpath('.//*[@itemprop="name"]')
    target = named[0] if named else el
    return _string(target.get("content")) or _text(target.text_content())


def _clean_names(raw_names: list[str], site_name: str | None) -> tuple[str, ...]:
    """Person names from byline strings: prefixes, roles, outlets and duplicates removed."""
    site = _norm(site_name or "")
    names: dict[str, str] = {}
    for raw in raw_names:
        byline = _text(raw)
        if not byline or _norm(byline) == site:
            continue
        byline = _WITH_COAUTHORS.sub(r", \1", _BYLINE_PREFIX.sub("", byline))
        for part in _NAME_SPLIT.split(byline):
            name = _TRAILING_DAY.sub("", part).strip(" .,-–—:()")
            glued = _GLUED_CAPS.match(name)
            if glued and " " in glued.group(1):
                name = glued.group(1)
            if name.isupper() and len(name) > 4:
                name = name.title()
            key = _norm(name)
            if key and key != site and key not in names and _is_plausible_name(name):
                names[key] = name
    return tuple(names.values())[:_MAX_AUTHORS]


def _is_plausible_name(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(name) <= 80
        and len(words) <= 6
        and not _NOT_A_NAME.search(name)
        and not _DOMAIN.match(name)
        and not _ROLE_WORDS.search(name)
        and not name[0].islower()
        and name.lower() not in _NOT_NAMES
    )


def _dates(
    sources: _Sources, main: dict[str, Any], url: str, canonical: str | None
) -> tuple[list[DateCandidate], list[DateCandidate]]:
    meta = sources.meta
    published = [candidate("json-ld", key, _string(main.get(key))) for key in ("datePublished", "dateCreated")]
    modified = [candidate("json-ld", "dateModified", _string(main.get("dateModified")))]
    published += [candidate("meta", key, value) for key in _PUBLISHED_META for value in meta.get(key, ())]
    modified += [candidate("meta", key, value) for key in _MODIFIED_META for value in meta.get(key, ())]
    dated = [el for el in sources.marked if el.tag != "time" and el.get("itemprop") in _DATE_PROPS]
    for el in [*sources.times, *dated]:
        kind = _time_kind(el)
        if kind:
            found = candidate("time", el.tag, _time_value(el))
            (published if kind == "published" else modified).append(found)
    # Last resort among <time>s: the first one inside the article, unless it says it is an update.
    first = next((el for el in sources.times if el.get("datetime") and _in_article(el)), None)
    if first is not None and _time_kind(first) is None:
        published.append(candidate("time", "article", _time_value(first)))
    for link in (url, canonical):
        day = url_date(link) if link else None
        if day is not None:
            published.append(candidate("url", "path", day.isoformat()))
            break
    return [c for c in published if c], [c for c in modified if c]


def _time_kind(el: HtmlElement) -> str | None:
    """Whether a ``<time>`` (or microdata element) states the publication or the modification time."""
    prop = (el.get("itemprop") or "").lower()
    if prop == "datepublished" or el.get("pubdate") is not None:
        return "published"
    if prop == "datemodified":
        return "modified"
    parent = el.getparent()
    context = f"{el.get('class') or ''} {_text(el.text)[:40]}"
    if parent is not None:
        context += f" {parent.get('class') or ''} {_text(parent.text)[:40]}"
    context = context.lower()
    if "updated" in context or "modified" in context:
        return "modified"
    if "publish" in context or "posted" in context or "pubdate" in context:
        return "published"
    return None


def _time_value(el: HtmlElement) -> str:
    return el.get("datetime") or el.get("content") or _text(el.text_content())


def _in_article(el: HtmlElement) -> bool:
    return any(parent.tag == "article" for parent in el.iterancestors())


def _paywall_markup(sources: _Sources, main: dict[str, Any]) -> tuple[bool | None, tuple[str, ...]]:
    free = _boolean(main.get("isAccessibleForFree"))
    selectors: list[str] = []
    parts = main.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict) and _boolean(part.get("isAccessibleForFree")) is False:
            free = False
            selector = _string(part.get("cssSelector"))
            if selector:
                selectors.append(selector)
    if (sources.first("article:content_tier") or "").lower() == "locked":
        free = False
    return free, tuple(selectors)


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
