"""Is the extracted text a whole article? Flags teasers, paywalls, script-only pages and empty pages.

The verdict is one of the ``Article.quality`` values:

- ``empty``: no article text from a page that has ordinary markup (nothing, or fewer than
  :data:`MIN_ARTICLE_WORDS` words of page furniture such as "Home");
- ``script_only``: the page is a JavaScript shell (almost no visible text, the content comes from scripts);
- ``paywall``: what we got is short (under :data:`PAYWALL_MAX_WORDS`) and either JSON-LD marks the article
  as not free (``isAccessibleForFree: false``) with the paywalled part absent from the page, or the text
  carries a subscription notice ("subscribe to continue reading", "会員限定"...);
- ``teaser``: a very short text (under :data:`SHORT_TEXT_WORDS`) that ends with a "read more" cut or comes
  from a page with :data:`TEASER_PAGE_RATIO` times more visible text (index pages, stubs);
- ``ok``: anything else.

Short-but-whole articles (a four-sentence breaking-news item) stay ``ok``: shortness alone never flags.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from communique.articles.metadata import PageMetadata

#: Fewer words than this are not an article at all (the shortest news briefs run to 50 words or so).
MIN_ARTICLE_WORDS = 20
#: Below this many words (CJK: two characters count as one word) a text may be a teaser or paywall stub.
SHORT_TEXT_WORDS = 150
#: Paywall markup flags a text shorter than this many words (the full text is often served anyway).
PAYWALL_MAX_WORDS = 300
#: A short text from a page with this many times more visible text is a teaser (an index page, a
#: stub). Lower ratios also catch whole short articles under big menus or comment threads.
TEASER_PAGE_RATIO = 30
#: A page with less visible text than this (and plenty of script) is a script shell.
SCRIPT_SHELL_MAX_CHARS = 300

_SHELL_MIN_SCRIPTS = 3
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")
_TRUNCATION_END = re.compile(
    r"(?:…|\.\.\.|\[\s*…\s*\]|\b(?:read more|continue reading|read the full (?:story|article)|full story"
    r"|lire la suite|weiterlesen|leer más|leia mais|continua a leggere)\W*)$",
    re.IGNORECASE,
)
_PAYWALL_NOTICE = re.compile(
    "|".join(
        (
            r"subscribe (?:now )?to (?:continue|read|keep reading|unlock)",
            r"(?:for|to) subscribers only|subscribers? only|subscription required",
            r"already (?:a subscriber|have an account)",
            r"(?:sign|log) ?in to (?:continue|read)",
            r"this (?:article|content|story) is (?:only )?(?:available|reserved) (?:to|for) subscribers",
            r"you have reached your (?:free )?(?:article|story) limit",
            r"create a free account to (?:continue|read)",
            r"réservé aux abonnés|abonnez-vous|nur für abonnenten|jetzt abonnieren",
            r"exclusivo para (?:assinantes|suscriptores)|solo para suscriptores|riservato agli abbonati",
            r"有料会員|会員限定|付费阅读|订阅后阅读|유료 회원",
        )
    ),
    re.IGNORECASE,
)
_JS_NOTICE = re.compile(
    r"(?:enable|requires?|turn on|activate)\s+javascript|javascript\s+(?:is\s+)?(?:required|disabled)"
)
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


def count_words(text: str) -> int:
    """Words in ``text``; in Chinese and Japanese, which have no spaces, two characters count as one."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk // 2


def assess_quality(tree: HtmlElement, text: str, meta: PageMetadata) -> str:
    """The ``Article.quality`` verdict for ``text`` extracted from ``tree``."""
    words = count_words(text)
    if words >= PAYWALL_MAX_WORDS:
        return "ok"
    if words and (_PAYWALL_NOTICE.search(text) or _marked_paywalled(tree, meta)):
        return "paywall"
    if words >= SHORT_TEXT_WORDS:
        return "ok"
    return _short_text_verdict(tree, text, words)


def _short_text_verdict(tree: HtmlElement, text: str, words: int) -> str:
    page_chars = _visible_chars(tree)
    if page_chars < SCRIPT_SHELL_MAX_CHARS and _script_heavy(tree, page_chars):
        return "script_only"
    if words < MIN_ARTICLE_WORDS:
        return "empty"
    truncated = bool(_TRUNCATION_END.search(text.rstrip()))
    return "teaser" if truncated or page_chars > TEASER_PAGE_RATIO * len(text) else "ok"


def _marked_paywalled(tree: HtmlElement, meta: PageMetadata) -> bool:
    """JSON-LD says the article is not free, and the part it marks as paywalled is not in the page."""
    return meta.free_access is False and not _paywalled_part_present(tree, meta.paywalled_selectors)


def _paywalled_part_present(tree: HtmlElement, selectors: tuple[str, ...]) -> bool:
    """Whether an element JSON-LD marks as paywalled is in the page with real text (served in full)."""
    for selector in selectors:
        xpath = _simple_selector_xpath(selector)
        if xpath is None:
            continue
        for el in tree.xpath(xpath):
            if count_words(el.text_content()) >= SHORT_TEXT_WORDS:
                return True
    return False


def _simple_selector_xpath(selector: str) -> str | None:
    """XPath for a ``.class`` or ``#id`` selector (what paywall markup uses); ``None`` for anything else."""
    selector = selector.strip().split(",")[0].strip()
    match = re.fullmatch(r"([a-zA-Z][\w-]*)?([.#])([\w-]+)", selector)
    if not match:
        return None
    tag, kind, name = match.group(1) or "*", match.group(2), match.group(3)
    if kind == "#":
        return f'//{tag}[@id="{name}"]'
    return f'//{tag}[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'


def _visible_chars(tree: HtmlElement) -> int:
    return sum(len(t.strip()) for t in tree.xpath(_VISIBLE_TEXT))


def _script_heavy(tree: HtmlElement, visible_chars: int) -> bool:
    script_chars = sum(len(s.text or "") for s in tree.iter("script"))
    scripts_with_src = sum(1 for s in tree.iter("script") if s.get("src"))
    notices = " ".join(n.text_content() for n in tree.iter("noscript")).lower()
    return (
        bool(_JS_NOTICE.search(notices))
        or script_chars > 10 * max(visible_chars, 100)
        or scripts_with_src >= _SHELL_MIN_SCRIPTS
    )
