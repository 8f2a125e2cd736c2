"""A source's HTML body as the Markdown of an entry: what a reader saw, nothing that runs.

Before conversion the HTML is cleaned for an archive: scripts, styles and forms go
with their content; an image becomes a link to it with its caption and credit, an
embed (video, audio, a post on a social network) a link to what it shows; links
are made absolute and keep only http, https and mailto. markdownify then writes
the Markdown, escaping in the text whatever Markdown or HTML would read as markup,
and the result is rendered back (as ``briefings build`` renders it) to check that a
reader sees the same text; where not, it is converted again with every
punctuation mark that can be markup escaped.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import HTMLParserTreeBuilder
from markdownify import ATX, BACKSLASH, MarkdownConverter

from ..markup import CONTROL_CHARS, SANITIZED_TAG, MarkdownRenderer, plain_text

# Elements dropped with everything in them: nothing a reader reads, or something that runs.
_DROPPED = (
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "base", "form", "button",
    "input", "select", "textarea", "option", "svg", "math", "canvas", "map", "dialog", "param", "track",
)  # fmt: skip
_MEDIA = ("iframe", "embed", "object", "video", "audio")
_URL_SCHEMES = ("http", "https", "mailto")
# Links a site adds by itself to the names it knows (this project's linked mentions):
# the text is the author's, the link is not.
_OWN_MENTION_CLASSES = frozenset({"brf-mention"})
# A capture's links point into the web archive: /web/20220303101010/https://example.org/...
_ARCHIVED = re.compile(r"^(?:https?://web\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_)?/(?P<url>(?:https?:)?/.*)$", re.I)
_PLAIN_ABSOLUTE = re.compile(r"(?:https?://|mailto:)[A-Za-z0-9/:?#\[\]@!$&'*+,;=%~._-]+", re.I)
_VIDEO_HOSTS = ("youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "dailymotion.com", "rumble.com")
_AUDIO_HOSTS = ("soundcloud.com", "spotify.com", "podcasts.apple.com", "audioboom.com")
_POST_HOSTS = ("twitter.com", "x.com", "t.me", "facebook.com", "instagram.com", "tiktok.com", "bsky.app")


def absolute_url(url: str | None, base_url: str = "") -> str | None:
    """``url`` made absolute against ``base_url`` and out of any web archive; None unless http(s) or mailto."""
    if not url:
        return None
    url = url.strip()
    if _PLAIN_ABSOLUTE.fullmatch(url) and "web.archive.org" not in url:
        return url  # most are: absolute, nothing to quote, from the site itself
    if archived := _ARCHIVED.match(url):
        url = archived.group("url")
        if url.startswith("//"):
            url = "https:" + url
        url = re.sub(r"^(https?):/(?!/)", r"\1://", url)  # an archive writes "https:/example.org" at times
    try:
        joined = urljoin(unarchived(base_url), url) if base_url else url
        scheme = urlsplit(joined).scheme.lower()
    except ValueError:
        return None
    if scheme not in _URL_SCHEMES:
        return None
    # Spaces, parentheses and angle brackets would end a Markdown link early.
    return quote(joined, safe="/:?#[]@!$&'*+,;=%~.-_")


def unarchived(url: str) -> str:
    """``url`` as the page it is a capture of, if it is a web-archive address."""
    if url and _ARCHIVED.match(url.strip()):
        return absolute_url(url) or url
    return url


def text_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, one per blank-line-separated block."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(f"<p>{html.escape(' '.join(block.split()), quote=False)}</p>" for block in blocks if block.strip())


def as_written(text: str) -> str:
    """Plain text as its source wrote it (a JSON Feed or RSS title, an attribute's value, text already
    taken out of HTML), white space single: '<' and '&' are characters of the text, not markup."""
    return " ".join(CONTROL_CHARS.sub("", text).split())


def plain(text: str) -> str:
    """An HTML title or caption as plain text: tags dropped, character references read, white space single."""
    if "<" in text:
        text = BeautifulSoup(text, "lxml").get_text(" ")
    elif "&" in text:
        text = html.unescape(text)
    return " ".join(CONTROL_CHARS.sub("", text).split())


class BodyConverter:
    """HTML bodies to Markdown; one per process (the renderer that checks the result is reused)."""

    def __init__(self) -> None:
        self._plain = _Converter()
        self._careful = _Converter(escape_misc=True)
        self._renderer = MarkdownRenderer()
        # Python's own HTML parser, one for every body: for fragments of a few paragraphs it
        # builds the tree faster than lxml's (which `html_page` uses for whole pages).
        self._builder = HTMLParserTreeBuilder()
        self.recovered = 0  # bodies whose first conversion changed the text a reader sees, converted again

    def markdown(self, body_html: str, base_url: str = "") -> str:
        """The Markdown of ``body_html``; empty when it holds no text."""
        return self.convert(body_html, base_url)[0]

    def convert(self, body_html: str, base_url: str = "") -> tuple[str, str]:
        """The Markdown of ``body_html`` and the text a reader reads in it: one line for each
        paragraph, heading, list item, table cell or line break, white space single within it."""
        soup = BeautifulSoup(CONTROL_CHARS.sub("", body_html), builder=self._builder)
        _clean(soup, base_url)
        text = soup.get_text(" ")
        expected = "".join(text.split())
        markdown = _tidy(self._plain.convert_soup(soup))
        shown = self._renderer.render(markdown)
        if _words_in(shown) != expected:
            self.recovered += 1
            markdown = _tidy(self._careful.convert_soup(soup))
            shown = self._renderer.render(markdown)
            if _words_in(shown) != expected:
                # The words come first: where markup cannot be kept without changing them
                # (a table cell outside a table, say), the text alone, as one paragraph.
                markdown = self._words(text)
                shown = self._renderer.render(markdown)
        return markdown, _reading_lines(shown)

    def _words(self, text: str) -> str:
        return _tidy(self._careful.convert(f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>"))

    def text(self, markdown: str) -> str:
        """What a reader reads of ``markdown``: its rendered text, white space single."""
        return plain_text(self._renderer.render(markdown))


def _words_in(shown: str) -> str:
    """The characters a reader reads in rendered HTML, white space left out."""
    return "".join(plain_text(shown).split())


# Where a line of what a reader reads ends. The names suggested for the registries are
# looked for line by line: the last word of a paragraph and the first of the next are
# no name ("Enerhodar" then "Click here").
_LINE_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|caption"
    r"|div|section|article|aside|header|footer|figure|figcaption|details|summary|hr|br)(?=[\s/>])[^>]*>",
    re.IGNORECASE,
)


def _reading_lines(shown: str) -> str:
    """What a reader reads in rendered HTML, a line for each block and line break."""
    marked = _LINE_TAG.sub("\n", " ".join(shown.split()))  # a soft line break is a space
    text = html.unescape(SANITIZED_TAG.sub("", marked))
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def _tidy(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.strip().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n" if any(lines) else ""


class _Converter(MarkdownConverter):
    """markdownify, writing what this project writes, and escaping text for cmark-gfm and the sanitizer."""

    def __init__(self, **options: object) -> None:
        super().__init__(
            heading_style=ATX, bullets="-", newline_style=BACKSLASH, strong_em_symbol="*",
            table_infer_header=True, **options,
        )  # fmt: skip

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        if self.options["escape_misc"]:
            return _not_preview_markup(_AS_REFERENCES(super().escape(text, parent_tags).replace("\\<", "<").replace("\\]", "]")))
        if "&" in text:
            text = _REFERENCE.sub("&amp;", text)
        text = text.translate(_ESCAPES)
        if "\n" in text or text.lstrip()[:1] in _LINE_STARTS:
            text = _LINE_MARKUP.sub(r"\g<1>\\\g<2>", text)
            text = _LIST_NUMBER.sub(r"\g<1>\\\g<2>", text)
        return _not_preview_markup(text)


def _not_preview_markup(escaped: str) -> str:
    """``escaped`` text with an empty comment inside what GitHub's preview reads as markup the site
    does not have (a footnote's "[^1]", an alert's "[!NOTE]", math's "$$"), which `check`
    finds in the rendered body even when escaped: a reader sees the text as written."""
    if "[" in escaped or "$" in escaped:
        escaped = _PREVIEW_MARKUP.sub(r"\g<1><!-- -->", escaped)
    return escaped


# In text, what Markdown reads as emphasis, code, links or strikethrough; '&' that starts a
# character reference; at the start of a line, a heading, a quote, a list item or a
# thematic break. '<' and ']' are written as character references, not escaped with a
# backslash: `check` reads a body's HTML and links without Markdown's escapes, and would
# take "\<script>" for a tag and "\](javascript:" for a link.
_ESCAPES = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "~": "\\~", "<": "&lt;", "]": "&#93;"})
_REFERENCE = re.compile(r"&(?=#?\w+;)")
_AS_REFERENCES = lambda text: text.replace("<", "&lt;").replace("]", "&#93;")  # noqa: E731
_LINE_STARTS = frozenset("#>-+=0123456789")
# What starts a footnote reference or an alert ('[' escaped, before '^' or '!'), math ('$'
# before '$' or a backtick, escaped or not).
_PREVIEW_MARKUP = re.compile(r"(\\?\[(?=[\^!])|\$(?=\$|\\?`))")
_LINE_MARKUP = re.compile(r"((?:^|\n)[ \t]*)(#{1,6}|>|[-+=])(?=\s|$)")
_LIST_NUMBER = re.compile(r"((?:^|\n)[ \t]*\d{1,9})([.)])(?=\s|$)")


def _clean(soup: BeautifulSoup, base_url: str) -> None:
    # One walk of the tree to see which elements are there: most bodies are paragraphs
    # and links, and each find_all walks the whole tree again.
    present = {element.name for element in soup.descendants if element.name}
    if "script" in present:
        # Telegram's widget is a script that names its post: the post, as a link, before scripts go.
        for widget in soup.find_all("script", attrs={"data-telegram-post": True}):
            post = f"https://t.me/{widget['data-telegram-post'].strip('/')}"
            widget.replace_with(_paragraph(soup, _link(soup, post, "Embedded post")))
    if "figure" in present:
        for figure in soup.find_all("figure"):
            _replace_figure(soup, figure, base_url)
    if present.intersection(_MEDIA):
        for media in soup.find_all(_MEDIA):
            if media.parent is not None:
                media.replace_with(_paragraph(soup, _media_link(soup, media, "", base_url)))
    if "img" in present:
        for image in soup.find_all("img"):
            image.replace_with(_image_link(soup, image, "", "", base_url, linked=image.find_parent("a") is not None))
    if present.intersection(_DROPPED):
        for element in soup.find_all(_DROPPED):
            element.decompose()
    if "a" in present:
        for link in soup.find_all("a"):
            _clean_link(link, base_url)


def _replace_figure(soup: BeautifulSoup, figure: Tag, base_url: str) -> None:
    if figure.parent is None:  # inside a figure already replaced
        return
    credit = " ".join(_take_credits(figure))
    caption_element = figure.find("figcaption")
    caption = as_written(caption_element.get_text(" ")) if caption_element else ""
    if caption_element:
        caption_element.decompose()
    post = figure.find("blockquote")
    canonical = absolute_url(figure.get("data-canonical-url"), base_url)
    if post is not None:  # an embedded post: its text is what it said
        parts = [post.extract()]
        if canonical and not post.find("a", href=canonical):
            parts.append(_paragraph(soup, _link(soup, canonical, f"Embedded post: {caption}" if caption else "Embedded post")))
        elif caption:
            parts.append(_paragraph(soup, soup.new_string(caption)))
        _replace_with_all(figure, parts)
    elif (image := figure.find("img")) is not None:
        figure.replace_with(_paragraph(soup, _image_link(soup, image, caption, credit, base_url)))
    elif (media := figure.find(_MEDIA)) is not None:
        figure.replace_with(_paragraph(soup, _media_link(soup, media, caption or credit, base_url)))
    elif canonical:
        figure.replace_with(_paragraph(soup, _link(soup, canonical, caption or "Embedded content")))
    else:
        if caption:
            figure.append(_paragraph(soup, soup.new_string(caption)))
        figure.unwrap()


def _take_credits(figure: Tag) -> list[str]:
    credits = []
    for element in figure.find_all(class_=re.compile("credit", re.I)):
        if element.parent is not None:
            text = as_written(element.get_text(" "))
            element.decompose()
            if text:
                credits.append(text)
    return credits


def _image_link(soup: BeautifulSoup, image: Tag, caption: str, credit: str, base_url: str, *, linked: bool = False):
    """An image as its caption (or alt text) linked to the picture, then its credit."""
    source = image.get("src") or ""
    if not source or source.startswith("data:"):  # a lazy-loading placeholder
        source = image.get("data-src") or (image.get("srcset") or "").split(" ")[0]
    if not source and image.parent is not None and image.parent.name == "picture":
        # A <picture> may give its files only in its <source>s, the <img> being their fallback.
        found = image.parent.find("source", srcset=True)
        source = found["srcset"].strip().split(" ")[0].rstrip(",") if found is not None else ""
    described = caption or as_written(image.get("alt") or "") or as_written(image.get("title") or "")
    label = f"Image: {described}" if described else "Image"
    url = absolute_url(source, base_url)
    inline = soup.new_tag("span")
    inline.append(soup.new_string(label) if linked or url is None else _link(soup, url, label))
    if credit and credit not in described:
        inline.append(soup.new_string(f" ({credit})"))
    return inline


def _media_link(soup: BeautifulSoup, media: Tag, caption: str, base_url: str) -> Tag | NavigableString:
    source = media.get("src") or media.get("data") or media.get("data-src") or ""
    if not source and (inner := media.find("source", src=True)) is not None:
        source = inner["src"]
    url = absolute_url(source, base_url)
    kind = _media_kind(media.name, url or "")
    title = caption or as_written(media.get("title") or "") or (urlsplit(url).hostname or "" if url else "")
    label = f"{kind}: {title}" if title else kind
    return soup.new_string(label) if url is None else _link(soup, url, label)


def _media_kind(tag: str, url: str) -> str:
    if tag in ("video", "audio"):
        return tag.capitalize()
    host = (urlsplit(url).hostname or "").lower()
    for hosts, kind in ((_VIDEO_HOSTS, "Video"), (_AUDIO_HOSTS, "Audio"), (_POST_HOSTS, "Embedded post")):
        if any(host == h or host.endswith("." + h) for h in hosts):
            return kind
    return "Embedded content"


def _clean_link(link: Tag, base_url: str) -> None:
    url = absolute_url(link.get("href"), base_url)
    if url is None or _OWN_MENTION_CLASSES.intersection(link.get("class") or ()):
        link.unwrap()
        return
    title = link.get("title")
    link.attrs = {"href": url}
    if title and as_written(title):
        link["title"] = as_written(title)


def _link(soup: BeautifulSoup, url: str, text: str) -> Tag:
    link = soup.new_tag("a", href=url)
    link.string = text
    return link


def _paragraph(soup: BeautifulSoup, content: Tag | NavigableString) -> Tag:
    paragraph = soup.new_tag("p")
    paragraph.append(content)
    return paragraph


def _replace_with_all(element: Tag, parts: list) -> None:
    for part in reversed(parts):
        element.insert_after(part)
    element.decompose()


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s|$)")
_ABBREVIATION = re.compile(
    r"(?:\b\w\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Capt|Sgt|Prof|Rep|Sen|Gov|Pres|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept"
    r"|Oct|Nov|Dec|vs|etc|approx|incl|ім|ст|вул|пр|т\.д)\.$"
)
TITLE_LENGTH = 120


def _open_quote(text: str) -> bool:
    """Whether ``text`` ends inside a quotation opened with guillemets or curly quotes."""
    return text.count("«") > text.count("»") or text.count("“") > text.count("”")


def first_sentence(text: str, limit: int = TITLE_LENGTH) -> str:
    """A headline made from ``text``: its first sentence, cut at a word with an ellipsis when long."""
    text = " ".join(text.split())
    sentence = text
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start() + 1]
        if _open_quote(text[: match.end()]):
            continue  # «Проснитесь! ...»: the sentence goes on after the quoted one
        if len(before.split()) >= 3 and not _ABBREVIATION.search(before):
            # A headline keeps a "!" or "?", not a full stop: the stop goes, a closing quote stays.
            ending = match.group().lstrip(".") if match.group()[0] == "." else match.group()
            sentence = text[: match.start()] + ending
            break
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"
