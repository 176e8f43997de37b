"""Saved web pages: only the article's text, its headline and publication date.

Pipeline: decode -> parse with lxml (no network, no DTD entities, comments
dropped) -> read the headline and site name -> drop page chrome (navigation,
cookie banners, related links, share bars, footers) -> date with htmldate ->
main text with trafilatura (precision first, tables kept, no comments) -> one
paragraph per block, separated by blank lines. When trafilatura finds nothing
(tiny pages), the cleaned ``<body>`` text is used instead.

The headline is put first in ``text`` unless one of the first three blocks
already is the headline, so every page reads "headline, blank line, article".
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import TYPE_CHECKING

from store.document import Document
from store.ingest.common import MB, ReaderError, decode_text, human_mb, one_line, require_text, tidy

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# A page's markup beyond this is not an article; lxml needs ~10x the input in
# memory, so the bound keeps a hostile page from exhausting it.
MAX_MARKUP_CHARS = 10 * MB
# Inline scripts, styles and data: URIs make saved pages huge without adding
# text; they are cut before parsing when a page is this large.
_SHRINK_ABOVE = 2 * MB
# trafilatura's time grows faster than linearly with the tree (35 s for 140,000
# elements); real article pages have a few thousand. Past this, the cleaned
# body text is used and the date search stays on the cheap signals.
MAX_ELEMENTS_FOR_EXTRACTION = 30_000

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "input", "select", "textarea", "nav", "footer", "aside", "header", "dialog",
)
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search"}
# Class/id words that mark page chrome on real sites. Matched as whole words of
# the class or id (split on spaces, "-" and "_"), never as substrings.
_CHROME_WORDS = {
    "cookie", "cookies", "consent", "gdpr", "banner", "share", "sharing", "social", "related",
    "newsletter", "subscribe", "breadcrumb", "breadcrumbs", "tags", "tag", "ad", "ads", "advert",
    "advertisement", "promo", "sidebar", "popular", "comments", "comment", "corrections", "feedback",
    "print", "skip", "topbar", "masthead", "footer", "footmenu", "nav", "navigation", "menu",
    "widget", "kicker", "rubric", "views", "tools", "lang", "search", "caption", "label", "header",
}
# Distinctive enough to match inside compound names like "cookiesNotice" or "topmenu".
_CHROME_PARTS = (
    "cookie", "consent", "gdpr", "breadcrumb", "newsletter", "sidebar", "footer", "navbar",
    "topmenu", "mainmenu", "footmenu", "advert",
)
# Attribution lines ("Source: press service of ...") that trafilatura's precision
# mode drops with bylines; they name the briefing's source, so they are kept.
_ATTRIBUTION = re.compile(
    r"^(source|sources|press service|press department|press office|press and information|"
    r"information and press|источник|пресс-служба|пресс-центр)\b",
    re.IGNORECASE,
)
_WORD_SPLIT = re.compile(r"[\s_\-]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SHRINK = re.compile(
    r"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|data:[a-z/+.\-]+;base64,[A-Za-z0-9+/=\s]+",
    re.IGNORECASE | re.DOTALL,
)
# Site-name suffixes in <title>: "Headline | Site", "Headline - Site", "Headline » Site".
_TITLE_SEPARATORS = (" | ", " || ", " » ", " :: ", " — ", " – ", " - ", " · ")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tr", "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "address", "hr",
}
_BR = "\u2028"  # stands for <br> until paragraphs are assembled


def read(path: Path, data: bytes) -> Document:
    markup = decode_markup(data)
    tree = parse(markup)
    headline, site = _headline(tree)
    _drop_chrome(tree, headline)
    huge = _element_count(tree) > MAX_ELEMENTS_FOR_EXTRACTION
    date = _publication_date(tree, extensive=not huge)
    blocks = _plain_blocks(tree) if huge else _main_blocks(tree)
    if headline and not any(_same(headline, b) for b in blocks[:3]):
        blocks.insert(0, headline)
    text = require_text(tidy("\n\n".join(blocks)))
    meta = {"site": site} if site else {}
    return Document(path=path, format="html", text=text, title=headline, date=date, meta=meta)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML fragment or page (used for HTML-only email)."""
    tree = parse(markup)
    _drop_chrome(tree, None)
    huge = _element_count(tree) > MAX_ELEMENTS_FOR_EXTRACTION
    return tidy("\n\n".join(_plain_blocks(tree) if huge else _main_blocks(tree)))


# --- parsing ------------------------------------------------------------------


def decode_markup(data: bytes) -> str:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode_text(data)[0]


def parse(markup: str) -> HtmlElement:
    import lxml.html
    from lxml import etree

    if len(markup) > _SHRINK_ABOVE:
        markup = _SHRINK.sub(" ", markup)
    if len(markup) > MAX_MARKUP_CHARS:
        raise ReaderError(
            f"too large for a web page: {human_mb(len(markup))} of markup over the {human_mb(MAX_MARKUP_CHARS)} limit"
        )
    # lxml refuses to store control characters back into the tree; they are not
    # valid in HTML anyway.
    markup = _CONTROL_CHARS.sub("", _XML_DECL.sub("", markup))
    if not markup.strip():
        raise ReaderError("empty: no text")
    # libxml2's HTML parser never loads external resources with no_network and
    # does not expand DTD entities; huge_tree stays off so depth/size limits hold.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        tree = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        raise ReaderError("empty: no text") from None
    return tree


# --- headline -----------------------------------------------------------------


def _meta(tree: HtmlElement, *names: str) -> str | None:
    for name in names:
        for el in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
            value = one_line(el.get("content"))
            if value:
                return value
    return None


def _in_chrome(el: HtmlElement) -> bool:
    return any(a.tag in ("header", "nav", "footer", "aside") for a in el.iterancestors())


def _headline(tree: HtmlElement) -> tuple[str | None, str | None]:
    """The article's headline and the site's name, as the page states them.

    Preference: the ``<h1>`` outside header/nav/footer that the ``<title>`` or
    ``og:title`` confirms, else the first such ``<h1>``, else ``og:title``,
    else ``<title>`` without its site-name suffix.
    """
    site = _meta(tree, "og:site_name", "application-name")
    og_title = _meta(tree, "og:title", "twitter:title")
    title_el = tree.find(".//title")
    page_title = one_line(title_el.text_content()) if title_el is not None else None
    stripped, suffix = _split_site_suffix(page_title, site) if page_title else (None, None)
    site = site or suffix

    h1s = [one_line(h.text_content()) for h in tree.iter("h1") if not _in_chrome(h)]
    h1s = [h for h in h1s if h and len(h) <= 400 and (not site or h != site)]
    for h in h1s:
        if (og_title and _same(h, og_title)) or (page_title and _norm(page_title).startswith(_norm(h))):
            return h, site
    if h1s:
        return h1s[0], site
    return og_title or stripped, site


def _split_site_suffix(title: str, site: str | None) -> tuple[str, str | None]:
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if not found or not head.strip():
            continue
        tail = tail.strip()
        # A pipe, guillemet or double colon almost always separates the site name;
        # a dash only when the tail is the known site name or reads like one.
        strong = sep.strip() in ("|", "||", "»", "::")
        if strong or (site and _same(tail, site)) or _looks_like_site(tail):
            return head.strip(), tail
    return title, None


_SITE_WORDS = re.compile(
    r"\b(ministry|embassy|mission|office|department|government|gov|news|times|post|review|herald|"
    r"agency|service|press|daily|tribune|journal|gazette|portal|online|official|website)\b|\.\w{2,4}$",
    re.IGNORECASE,
)


def _looks_like_site(tail: str) -> bool:
    return len(tail.split()) <= 12 and bool(_SITE_WORDS.search(tail))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _same(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)


# --- chrome removal -----------------------------------------------------------


def _is_chrome(el: HtmlElement) -> bool:
    if el.tag in _DROP_TAGS:
        return True
    if (el.get("role") or "").lower() in _DROP_ROLES:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if any(part in names for part in _CHROME_PARTS):
        return True
    return not set(_WORD_SPLIT.split(names)).isdisjoint(_CHROME_WORDS)


def _drop_chrome(tree: HtmlElement, headline: str | None) -> None:
    """Remove page chrome in place, never the block that holds the article.

    An element is kept whatever its tag or class if it contains the headline's
    ``<h1>`` or more than half of the page's text: sites wrap whole articles in
    ``<header>`` or give them classes like ``article-tools-wrapper``.
    """
    body = tree.find("body")
    if body is None:
        body = tree
    total = len(body.text_content()) or 1
    stack = [body]
    while stack:
        el = stack.pop()
        for child in list(el):
            if not isinstance(child.tag, str):
                el.remove(child)  # comments, processing instructions, entities
                continue
            if _is_chrome(child) and not _holds_article(child, headline, total):
                child.drop_tree()  # keeps the tail text, which belongs to the parent
            else:
                stack.append(child)


def _holds_article(el: HtmlElement, headline: str | None, total: int) -> bool:
    if el.tag in ("script", "style", "noscript", "template"):
        return False
    if headline and any(_same(one_line(h.text_content()) or "", headline) for h in el.iter("h1")):
        return True
    return len(el.text_content()) > total / 2


# --- date ---------------------------------------------------------------------


def _element_count(tree: HtmlElement) -> int:
    return sum(1 for _ in tree.iter())


def _publication_date(tree: HtmlElement, *, extensive: bool) -> str | None:
    """The original publication date (not 'updated'), ISO, or None."""
    from htmldate import find_date

    try:
        return find_date(copy.deepcopy(tree), extensive_search=extensive, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is best effort; a page without a date is fine
        return None


# --- text ---------------------------------------------------------------------


def _main_blocks(tree: HtmlElement) -> list[str]:
    blocks = _trafilatura_blocks(tree)
    plain = _plain_blocks(tree)
    plain_len = sum(len(b) for b in plain)
    got = sum(len(b) for b in blocks)
    # trafilatura's precision mode can return nothing for a tiny page.
    if got < min(200, plain_len / 2):
        return plain
    known = {_norm(b) for b in blocks}
    blocks += [b for b in plain if len(b) < 300 and _ATTRIBUTION.match(b) and _norm(b) not in known]
    return blocks


def _trafilatura_blocks(tree: HtmlElement) -> list[str]:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            copy.deepcopy(tree),
            favor_precision=True,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura is a heuristic; the plain fallback follows
        return []
    body = getattr(result, "body", None)
    if body is None:
        return []
    blocks: list[str] = []
    for el in body:
        if el.tag == "list":
            lines = [f"- {_inline(item)}" for item in el.iter("item")]
            blocks.append("\n".join(line for line in lines if line != "- "))
        elif el.tag == "table":
            rows = [" | ".join(_inline(cell) for cell in row.iter("cell")) for row in el.iter("row")]
            blocks.append("\n".join(r for r in rows if r.strip(" |")))
        else:
            blocks.append(_inline(el))
    return [b for b in blocks if b.strip()]


def _inline(el: HtmlElement) -> str:
    """Text of one trafilatura block with ``<lb/>`` as line breaks."""
    for lb in el.iter("lb"):
        lb.tail = _BR + (lb.tail or "")
    text = "".join(el.itertext())
    return "\n".join(" ".join(line.split()) for line in text.split(_BR)).strip()


def _plain_blocks(tree: HtmlElement) -> list[str]:
    """Paragraphs of the (already cleaned) body: every block element breaks."""
    body = tree.find("body")
    if body is None:
        body = tree
    body = copy.deepcopy(body)
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = _BR + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
        elif el.tag in ("td", "th"):
            el.tail = " | " + (el.tail or "")
    text = "".join(body.itertext())
    blocks = []
    for block in text.split("\n\n"):
        lines = (" ".join(line.split()).strip(" |") for line in block.split(_BR))
        joined = "\n".join(line for line in lines if line)
        if joined:
            blocks.append(joined)
    return blocks
