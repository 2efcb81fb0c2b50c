"""feedparser's element handlers, re-enacted: what each RSS, Atom, RDF, Dublin Core, Media RSS and
iTunes element does to the state (``_start_*``/``_end_*`` in feedparser/namespaces/*.py).

``STARTS`` and ``ENDS`` map feedparser's handler names (prefix and element, ``dc_creator``) to
these re-enactments. Handlers feedparser has and these tables lack (GeoRSS, Podlove chapters,
Creative Commons, ``dcterms:valid``, inline XHTML bodies) make the reader give up; elements without
any handler are kept or skipped as feedparser's generic code would. See :mod:`communique.feedxml`.
"""

from __future__ import annotations

from collections.abc import Callable

from feedparser.mixin import _FeedParserMixin

from communique.feedstate import (
    HTML_TYPES,
    Context,
    FeedState,
    NotReenactedError,
    enforce_href,
    join_uri,
    map_content_type,
    parse_date,
)

FP_STARTS = frozenset(name[7:] for name in dir(_FeedParserMixin) if name.startswith("_start_"))
FP_ENDS = frozenset(name[5:] for name in dir(_FeedParserMixin) if name.startswith("_end_"))
_COPIED_TO_SUMMARY = frozenset({"text/plain"}) | HTML_TYPES
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_ATOM_VERSIONS = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
Start = Callable[["FeedHandlers", Context], None]
End = Callable[["FeedHandlers"], None]


class FeedHandlers(FeedState):
    """The handlers, as methods ``start_<name>(attrs)`` and ``end_<name>()``."""

    def start_rss(self, attrs: Context) -> None:
        if not self.version or not self.version.startswith("rss"):
            given = attrs.get("version", "")
            self.version = _RSS_VERSIONS.get(given) or ("rss20" if given.startswith("2.") else "rss")

    def start_channel(self, attrs: Context) -> None:
        self.infeed = 1
        _refuse_cdf(attrs)

    def start_feed(self, attrs: Context) -> None:
        self.infeed = 1
        if not self.version:
            self.version = _ATOM_VERSIONS.get(attrs.get("version", "")) or "atom"

    def end_channel(self) -> None:
        self.infeed = 0

    def start_image(self, attrs: Context) -> None:
        context = self.context()
        if not self.inentry:
            context.setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self.push("image", 0)

    def end_image(self) -> None:
        self.pop("image")
        self.inimage = 0

    def start_textinput(self, attrs: Context) -> None:
        self.context().setdefault("textinput", {})
        self.intextinput = 1
        self.title_depth = -1
        self.push("textinput", 0)

    def end_textinput(self) -> None:
        self.pop("textinput")
        self.intextinput = 0

    def start_author(self, attrs: Context) -> None:
        self.inauthor = 1
        self.push("author", 1)
        self.context().setdefault("authors", []).append({})

    def end_author(self) -> None:
        self.pop("author")
        self.inauthor = 0
        self.sync_author_detail()

    def start_contributor(self, attrs: Context) -> None:
        self.incontributor = 1
        self.context().setdefault("contributors", []).append({})
        self.push("contributor", 0)

    def end_contributor(self) -> None:
        self.pop("contributor")
        self.incontributor = 0

    def start_dc_contributor(self, attrs: Context) -> None:
        self.incontributor = 1
        self.context().setdefault("contributors", []).append({})
        self.push("name", 0)

    def end_dc_contributor(self) -> None:
        self.end_name()
        self.incontributor = 0

    def end_name(self) -> None:
        value = self.pop("name")
        if self.inpublisher:
            self.save_author("name", value, "publisher")
        elif self.inauthor:
            self.save_author("name", value)
        elif self.incontributor:
            self.save_contributor("name", value)
        elif self.intextinput:
            self.context()["name"] = value

    def end_url(self) -> None:
        value = self.pop("href")
        if self.inauthor:
            self.save_author("href", value)
        elif self.incontributor:
            self.save_contributor("href", value)

    def end_email(self) -> None:
        value = self.pop("email")
        if self.inpublisher:
            self.save_author("email", value, "publisher")
        elif self.inauthor:
            self.save_author("email", value)
        elif self.incontributor:
            self.save_contributor("email", value)

    def start_item(self, attrs: Context) -> None:
        self.entries.append({})
        self.push("item", 0)
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        about = self.standard_attribute(attrs, "rdf:about")
        if about:
            self.context()["id"] = about
        _refuse_cdf(attrs)

    def end_item(self) -> None:
        self.pop("item")
        self.inentry = 0
        self.has_content = 0

    def end_language(self) -> None:
        self.lang = self.pop("language")

    def end_webmaster(self) -> None:
        self.pop("publisher")
        self.sync_author_detail("publisher")

    def start_itunes_owner(self, attrs: Context) -> None:
        self.inpublisher = 1
        self.push("publisher", 0)

    def end_itunes_owner(self) -> None:
        self.pop("publisher")
        self.inpublisher = 0
        self.sync_author_detail("publisher")

    def end_published(self) -> None:
        self.save("published_parsed", parse_date(self.pop("published")), overwrite=True)

    def end_updated(self) -> None:
        self.save("updated_parsed", parse_date(self.pop("updated")), overwrite=True)

    def end_created(self) -> None:
        self.save("created_parsed", parse_date(self.pop("created")), overwrite=True)

    def end_expirationdate(self) -> None:
        self.save("expired_parsed", parse_date(self.pop("expired")), overwrite=True)

    def start_category(self, attrs: Context) -> None:
        self.context().setdefault("tags", [])
        self.push("category", 1)

    def end_category(self) -> None:
        value = self.pop("category")
        if value and "tags" not in self.context():
            raise NotReenactedError("category")

    def start_link(self, attrs: Context) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self.context()
        attrs = enforce_href(attrs)
        if "href" in attrs:
            attrs["href"] = join_uri(self.baseuri or "", attrs["href"])
        links = context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            links.append(dict(attrs))
        if "href" not in attrs:
            self.push("link", self.infeed or self.inentry or self.insource)
        elif attrs.get("rel") == "alternate" and map_content_type(attrs["type"]) in HTML_TYPES:
            context["link"] = attrs["href"]

    def start_enclosure(self, attrs: Context) -> None:
        attrs = enforce_href(attrs)
        context = self.context()
        attrs["rel"] = "enclosure"
        context.setdefault("links", []).append(dict(attrs))

    def start_guid(self, attrs: Context) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self.push("id", 1)

    def end_guid(self) -> None:
        value = self.pop("id")
        self.save("guidislink", self.guidislink and "link" not in self.context())
        if self.guidislink:
            self.save("link", value)

    def start_title(self, attrs: Context) -> None:
        self.push_content("title", attrs, "text/plain", self.infeed or self.inentry or self.insource)

    def end_title(self) -> None:
        if self.pop_content("title"):
            self.title_depth = self.depth

    def end_media_title(self) -> None:
        title_depth = self.title_depth
        self.end_title()
        self.title_depth = title_depth

    def start_description(self, attrs: Context) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self.push_content("description", attrs, "text/html", self.infeed or self.inentry or self.insource)

    def start_abstract(self, attrs: Context) -> None:
        self.push_content("description", attrs, "text/plain", self.infeed or self.inentry or self.insource)

    def end_description(self) -> None:
        if self.summary_key == "content":
            self.end_content()
        else:
            self.pop_content("description")
        self.summary_key = None

    def start_summary(self, attrs: Context) -> None:
        if "summary" in self.context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self.summary_key = "summary"
            self.push_content("summary", attrs, "text/plain", 1)

    def end_summary(self) -> None:
        if self.summary_key == "content":
            self.end_content()
        else:
            self.pop_content(self.summary_key or "summary")
        self.summary_key = None

    def start_content(self, attrs: Context) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        if attrs.get("src"):
            self.params["src"] = attrs["src"]
        self.push("content", 1)  # feedparser pushes it twice

    def start_content_encoded(self, attrs: Context) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/html", 1)

    def end_content(self) -> None:
        content_type = self.params.get("type")
        if content_type is None:
            raise NotReenactedError("content without a type")
        copy_to_summary = map_content_type(content_type) in _COPIED_TO_SUMMARY
        value = self.pop_content("content")
        if copy_to_summary:
            self.save("summary", value)

    def start_source(self, attrs: Context) -> None:
        if "url" in attrs:
            self.source["href"] = attrs["url"]
        self.push("source", 1)
        self.insource = 1
        self.title_depth = -1

    def end_source(self) -> None:
        self.insource = 0
        value = self.pop("source")
        if value:
            self.source["title"] = value
        self.context()["source"] = dict(self.source)
        self.source.clear()

    def start_media_rating(self, attrs: Context) -> None:
        self.context().setdefault("media_rating", attrs)
        self.push("rating", 1)

    def end_media_rating(self) -> None:
        rating = self.pop("rating")
        if rating is not None and rating.strip():
            self.context()["media_rating"]["content"] = rating

    def start_media_restriction(self, attrs: Context) -> None:
        self.context().setdefault("media_restriction", attrs)
        self.push("restriction", 1)

    def end_media_restriction(self) -> None:
        restriction = self.pop("restriction")
        if restriction is not None and restriction.strip():
            self.context()["media_restriction"]["content"] = restriction

    def start_media_license(self, attrs: Context) -> None:
        self.context().setdefault("media_license", attrs)
        self.push("license", 1)

    def end_media_license(self) -> None:
        license_ = self.pop("license")
        if license_ is not None and license_.strip():
            self.context()["media_license"]["content"] = license_

    def start_media_credit(self, attrs: Context) -> None:
        self.context().setdefault("media_credit", []).append(attrs)
        self.push("credit", 1)

    def end_media_credit(self) -> None:
        credit = self.pop("credit")
        if credit is not None and credit.strip():
            self.context()["media_credit"][-1]["content"] = credit

    def start_media_content(self, attrs: Context) -> None:
        self.context().setdefault("media_content", []).append(attrs)

    def start_media_thumbnail(self, attrs: Context) -> None:
        self.context().setdefault("media_thumbnail", []).append(attrs)
        self.push("url", 1)

    def end_media_thumbnail(self) -> None:
        url = self.pop("url")
        thumbnails = self.context()["media_thumbnail"]
        if url is not None and url.strip() and "url" not in thumbnails[-1]:
            thumbnails[-1]["url"] = url

    def start_media_player(self, attrs: Context) -> None:
        self.push("media_player", 0)
        self.context()["media_player"] = attrs

    def end_media_player(self) -> None:
        value = self.pop("media_player")
        self.context()["media_player"]["content"] = value

    def start_itunes_image(self, attrs: Context) -> None:
        self.push("itunes_image", 0)
        href = attrs.get("href") or attrs.get("url")
        if href:
            self.context()["image"] = {"href": href}

    def start_generator(self, attrs: Context) -> None:
        self.context()["generator_detail"] = attrs
        self.push("generator", 1)


def _refuse_cdf(attrs: Context) -> None:
    if "lastmod" in attrs or "href" in attrs:
        raise NotReenactedError("CDF attributes")


class Push:
    """A start handler that only pushes ``element`` (the reader does it inline)."""

    __slots__ = ("element", "expecting_text")

    def __init__(self, element: str, expecting_text: int = 1) -> None:
        self.element, self.expecting_text = element, expecting_text

    def __call__(self, reader: FeedHandlers, attrs: Context) -> None:
        reader.push(self.element, self.expecting_text)


class Pop:
    """An end handler that only pops ``element`` (the reader does it inline)."""

    __slots__ = ("element", "strip_whitespace")

    def __init__(self, element: str, strip_whitespace: bool = True) -> None:
        self.element, self.strip_whitespace = element, strip_whitespace

    def __call__(self, reader: FeedHandlers) -> None:
        reader.pop(self.element, self.strip_whitespace)


def _content(element: str, default_type: str) -> Start:
    def start(reader: FeedHandlers, attrs: Context) -> None:
        reader.push_content(element, attrs, default_type, 1)

    return start


def _content_end(element: str) -> End:
    def end(reader: FeedHandlers) -> None:
        reader.pop_content(element)

    return end


def _nothing(reader: FeedHandlers, attrs: Context) -> None:
    """feedparser's handler stores only what we never read."""


_H = FeedHandlers
STARTS: dict[str, Start] = {
    "rss": _H.start_rss,
    "channel": _H.start_channel,
    "feed": _H.start_feed,
    "image": _H.start_image,
    "textinput": _H.start_textinput,
    "item": _H.start_item,
    "entry": _H.start_item,
    **dict.fromkeys(("author", "managingeditor", "dc_author", "dc_creator", "itunes_author"), _H.start_author),
    "contributor": _H.start_contributor,
    "dc_contributor": _H.start_dc_contributor,
    **dict.fromkeys(("name", "itunes_name"), Push("name", 0)),
    **dict.fromkeys(("email", "itunes_email"), Push("email", 0)),
    **dict.fromkeys(("url", "homepage", "uri"), Push("href")),
    "width": Push("width", 0),
    "height": Push("height", 0),
    **dict.fromkeys(("subtitle", "tagline", "itunes_subtitle"), _content("subtitle", "text/plain")),
    **dict.fromkeys(("rights", "copyright", "dc_rights"), _content("rights", "text/plain")),
    **dict.fromkeys(("info", "feedburner_browserfriendly"), _content("info", "text/plain")),
    **dict.fromkeys(("language", "dc_language"), Push("language")),
    **dict.fromkeys(("webmaster", "dc_publisher"), Push("publisher")),
    "itunes_owner": _H.start_itunes_owner,
    **dict.fromkeys(("published", "issued", "pubdate", "dcterms_issued"), Push("published")),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), Push("updated")),
    **dict.fromkeys(("created", "dcterms_created"), Push("created")),
    "expirationdate": Push("expired"),
    **dict.fromkeys(("category", "keywords", "dc_subject", "media_category", "itunes_category"), _H.start_category),
    "tags": Push("tags"),
    "cloud": _nothing,
    "link": _H.start_link,
    "enclosure": _H.start_enclosure,
    **dict.fromkeys(("guid", "id"), _H.start_guid),
    **dict.fromkeys(("title", "dc_title", "media_title"), _H.start_title),
    **dict.fromkeys(("description", "dc_description", "media_description"), _H.start_description),
    "abstract": _H.start_abstract,
    **dict.fromkeys(("summary", "itunes_summary"), _H.start_summary),
    "content": _H.start_content,
    **dict.fromkeys(("content_encoded", "fullitem"), _H.start_content_encoded),
    "generator": _H.start_generator,
    "source": _H.start_source,
    "newlocation": Push("newlocation"),
    "media_group": _nothing,
    "media_rating": _H.start_media_rating,
    "media_credit": _H.start_media_credit,
    "media_restriction": _H.start_media_restriction,
    "media_license": _H.start_media_license,
    "media_content": _H.start_media_content,
    "media_thumbnail": _H.start_media_thumbnail,
    "media_player": _H.start_media_player,
    **dict.fromkeys(("itunes_image", "itunes_link"), _H.start_itunes_image),
}
ENDS: dict[str, End] = {
    **dict.fromkeys(("channel", "feed"), _H.end_channel),
    "image": _H.end_image,
    "textinput": _H.end_textinput,
    **dict.fromkeys(("item", "entry"), _H.end_item),
    **dict.fromkeys(("author", "managingeditor", "dc_author", "dc_creator", "itunes_author"), _H.end_author),
    "contributor": _H.end_contributor,
    "dc_contributor": _H.end_dc_contributor,
    **dict.fromkeys(("name", "itunes_name"), _H.end_name),
    **dict.fromkeys(("email", "itunes_email"), _H.end_email),
    **dict.fromkeys(("url", "homepage", "uri"), _H.end_url),
    "width": Pop("width"),
    "height": Pop("height"),
    **dict.fromkeys(("subtitle", "tagline", "itunes_subtitle"), _content_end("subtitle")),
    **dict.fromkeys(("rights", "copyright", "dc_rights"), _content_end("rights")),
    **dict.fromkeys(("info", "feedburner_browserfriendly"), _content_end("info")),
    **dict.fromkeys(("language", "dc_language"), _H.end_language),
    **dict.fromkeys(("webmaster", "dc_publisher"), _H.end_webmaster),
    "itunes_owner": _H.end_itunes_owner,
    **dict.fromkeys(("published", "issued", "pubdate", "dcterms_issued"), _H.end_published),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), _H.end_updated),
    **dict.fromkeys(("created", "dcterms_created"), _H.end_created),
    "expirationdate": _H.end_expirationdate,
    **dict.fromkeys(("category", "keywords", "dc_subject", "media_category", "itunes_category"), _H.end_category),
    "tags": Pop("tags"),
    "media_keywords": Pop("media_keywords"),
    "itunes_keywords": Pop("itunes_keywords"),
    "link": Pop("link"),
    **dict.fromkeys(("guid", "id"), _H.end_guid),
    **dict.fromkeys(("title", "dc_title"), _H.end_title),
    "media_title": _H.end_media_title,
    **dict.fromkeys(("description", "dc_description", "media_description", "abstract"), _H.end_description),
    **dict.fromkeys(("summary", "itunes_summary"), _H.end_summary),
    **dict.fromkeys(("content", "content_encoded", "fullitem"), _H.end_content),
    "generator": Pop("generator"),
    "source": _H.end_source,
    "newlocation": Pop("newlocation"),
    "media_rating": _H.end_media_rating,
    "media_credit": _H.end_media_credit,
    "media_restriction": _H.end_media_restriction,
    "media_license": _H.end_media_license,
    "media_thumbnail": _H.end_media_thumbnail,
    "media_player": _H.end_media_player,
    "itunes_block": Pop("itunes_block", strip_whitespace=False),
    "itunes_explicit": Pop("itunes_explicit", strip_whitespace=False),
}
