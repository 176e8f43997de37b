"""Email (.eml): the readout inside the message, not the envelope around it.

A plain message gives its body (text/plain preferred, else text/html turned
into text), its ``Subject:`` without ``Re:``/``Fwd:`` prefixes and its ``Date:``.

A forwarded message gives the *forwarded* readout: its body without the
From/Date/Subject/To lines, its subject and its date. The covering note goes to
``meta["cover_note"]``. Forwards are recognised by the markers mail clients
write ("---------- Forwarded message ---------", "-----Original Message-----",
"Begin forwarded message:", their Russian forms) and by attached
``message/rfc822`` parts.

``meta["from"]`` is always the outer sender (the person who sent the file);
``meta["forwarded_from"]`` the forwarded message's sender when there is one.

The MIME walk is bounded (``MAX_PARTS`` parts, ``MAX_DEPTH`` levels): a hostile
message with thousands of parts is read from its first parts only and
``meta["truncated"]`` says so.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from pathlib import Path

from store.document import Document
from store.ingest.common import ReaderError, decode_text, one_line, parse_date, require_text, tidy

MAX_PARTS = 1000
MAX_DEPTH = 20

_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:re|fw|fwd|aw|wg|tr|sv|antw|enc|пересл|отв|ответ|fwd?\[\d+\]|re\[\d+\])\s*:\s*",
    re.IGNORECASE,
)
_FORWARD_MARKERS = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Original Message|Пересылаемое сообщение|Исходное сообщение|"
    r"Переадресованное сообщение|Message transféré|Weitergeleitete Nachricht|Ursprüngliche Nachricht)\s*-{2,}"
    r"|Begin forwarded message:|Начало переадресованного сообщения:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Header lines of a forwarded block, in the languages the desks use.
_HEADER_LINE = re.compile(
    r"^[ \t>]*(From|Sent|Date|To|Cc|Bcc|Subject|Reply-To|От|Отправлено|Дата|Кому|Копия|Тема|Von|Gesendet|An|Betreff|De|Envoyé|À|Objet)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_HEADER_KEYS = {
    "from": "from", "от": "from", "von": "from", "de": "from",
    "date": "date", "sent": "date", "дата": "date", "отправлено": "date", "gesendet": "date", "envoyé": "date",
    "subject": "subject", "тема": "subject", "betreff": "subject", "objet": "subject",
}


def strip_prefixes(subject: str | None) -> str | None:
    """``Fwd: RE: FW: Topic`` -> ``Topic`` (any number of reply/forward prefixes)."""
    if subject is None:
        return None
    previous = None
    while previous != subject:
        previous = subject
        subject = _PREFIX.sub("", subject, count=1)
    return one_line(subject)


@dataclass
class _Walk:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attached: list[EmailMessage] = field(default_factory=list)
    parts: int = 0
    truncated: str = ""  # why the walk stopped early, for meta["truncated"]


_DASH_LINE = re.compile(rb"^--", re.MULTILINE)


def _bound_parts(data: bytes) -> tuple[bytes, bool]:
    """Cut the raw message before its (MAX_PARTS+1)-th boundary-like line.

    The stdlib parser builds every part before we can count them (1.6 s for
    10,000 parts, minutes for a 20 MB message of empty parts), so the bound is
    applied to the bytes. Lines starting with "--" include a few that are not
    boundaries (signature markers, rules); they only matter past a thousand.
    """
    for count, m in enumerate(_DASH_LINE.finditer(data), start=1):
        if count > MAX_PARTS + 1:
            return data[: m.start()], True
    return data, False


def read(path: Path, data: bytes) -> Document:
    data, cut = _bound_parts(data)
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:
        raise ReaderError(f"not a readable email: {exc}") from None
    if not msg.keys():
        raise ReaderError("not a readable email: no headers")
    walk = _Walk()
    _walk(msg, walk, depth=0)
    body = _body_text(walk)
    meta: dict[str, str] = {}
    sender = _header(msg, "from")
    if sender:
        meta["from"] = sender
    if cut:
        walk.truncated = f"only the first {MAX_PARTS} MIME parts were read"
    if walk.truncated:
        meta["truncated"] = walk.truncated

    subject = _header(msg, "subject")
    title = strip_prefixes(subject)
    date = _header_date(msg)

    forwarded = _split_forward(body)
    if forwarded is not None and not _is_forward(forwarded, subject):
        forwarded = None
    if forwarded is not None:
        cover, headers, inner = forwarded
        text = inner
        title = strip_prefixes(headers.get("subject")) or title
        date = parse_date(headers.get("date")) or date
        if cover.strip():
            meta["cover_note"] = tidy(cover)
        if headers.get("from"):
            meta["forwarded_from"] = one_line(headers["from"]) or ""
    elif walk.attached and not _is_readout_length(body):
        inner_msg = walk.attached[0]
        inner_walk = _Walk(parts=walk.parts)
        _walk(inner_msg, inner_walk, depth=1)
        text = _body_text(inner_walk)
        title = strip_prefixes(_header(inner_msg, "subject")) or title
        date = _header_date(inner_msg) or date
        if body.strip():
            meta["cover_note"] = tidy(body)
        inner_from = _header(inner_msg, "from")
        if inner_from:
            meta["forwarded_from"] = inner_from
    else:
        text = body
    text = tidy(text)
    if not text.strip() and walk.truncated:
        raise ReaderError(f"no readable text: {walk.truncated}")
    text = require_text(text)
    return Document(path=path, format="eml", text=text, title=title, date=date, meta=meta)


_FORWARD_SUBJECT = re.compile(r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:fwd?|wg|tr|enc|пересл)\b", re.IGNORECASE)


def _is_forward(split: tuple[str, dict[str, str], str], subject: str | None) -> bool:
    """A quoted original below a long reply is thread history, not the briefing.

    Outlook writes "-----Original Message-----" for replies and forwards alike;
    the forwarded part is the briefing when the subject says "Fwd:" or the text
    above it is a short covering note.
    """
    cover, _, inner = split
    if not inner.strip():
        return False
    return bool(subject and _FORWARD_SUBJECT.match(subject)) or not _is_readout_length(cover)


def _is_readout_length(body: str) -> bool:
    # A cover note is a few lines; a body this long is the briefing itself even
    # when something else happens to be attached.
    return len(body.strip()) > 1500


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # a malformed header must not lose the whole message
        return None
    return one_line(str(value)) if value is not None else None


def _header_date(msg: Message) -> str | None:
    try:
        value = msg.get("date")
        parsed = getattr(value, "datetime", None)
    except Exception:
        value, parsed = None, None
    if parsed is not None:
        return parsed.date().isoformat()
    return parse_date(str(value)) if value else None


def _walk(msg: Message, walk: _Walk, depth: int) -> None:
    """Collect text parts and attached messages, depth-first, bounded."""
    stack: list[tuple[Message, int]] = [(msg, depth)]
    while stack:
        part, level = stack.pop()
        if level > MAX_DEPTH:
            walk.truncated = f"parts nested deeper than {MAX_DEPTH} levels were not read"
            continue
        walk.parts += 1
        if walk.parts > MAX_PARTS:
            walk.truncated = f"only the first {MAX_PARTS} MIME parts were read"
            return
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/rfc822":
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend((child, level + 1) for child in reversed(children))
            continue
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                walk.attached.append(inner)  # type: ignore[arg-type]
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if ctype == "text/plain":
            walk.plain.append(_part_text(part))
        elif ctype == "text/html":
            walk.html.append(_part_text(part))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    text = None
    if charset:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong charset label is common; detect instead
    if text is None:
        try:
            text = decode_text(payload)[0]
        except ReaderError:
            return ""
    # Transfer encodings keep the wire's CRLF; the forward markers are line-based.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _body_text(walk: _Walk) -> str:
    plain = [t for t in walk.plain if t.strip()]
    if plain:
        return "\n\n".join(plain)
    html = [t for t in walk.html if t.strip()]
    if html:
        from store.ingest.html import html_to_text

        return "\n\n".join(html_to_text(h) for h in html)
    return ""


def _split_forward(body: str) -> tuple[str, dict[str, str], str] | None:
    """(cover note, forwarded headers, forwarded body) or None when not a forward."""
    marker = _FORWARD_MARKERS.search(body)
    if marker is None:
        return None
    cover = body[: marker.start()]
    lines = body[marker.end():].lstrip("\r\n").split("\n")
    headers: dict[str, str] = {}
    last: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        m = _HEADER_LINE.match(line)
        if m:
            last = _HEADER_KEYS.get(m.group(1).lower())
            if last and last not in headers:
                headers[last] = m.group(2).strip()
            i += 1
        elif line.strip() == "":
            i += 1
            break
        elif last and line[:1] in (" ", "\t"):
            headers[last] = headers.get(last, "") + " " + line.strip()  # folded header line
            i += 1
        else:
            break
    inner = "\n".join(l.rstrip("\r") for l in lines[i:])
    # Quoted forwards ("> ") read as plain text once the quote marks go.
    if inner and all(l.startswith(">") or not l.strip() for l in inner.split("\n")):
        inner = "\n".join(re.sub(r"^> ?", "", l) for l in inner.split("\n"))
    return cover, headers, inner
