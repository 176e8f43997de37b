"""Themes a briefing substantively discusses, with the phrases that show it.

The taxonomy (shared/eval/GUIDELINES.md) lives in ``data/themes.json``: for
every theme an id, a display label, a colour and weighted keywords in English
and Russian. A theme is reported only when the evidence adds up: each sentence
contributes the summed weights of the distinct keywords it contains (capped, so
one long list does not outweigh real discussion), and the theme needs
:data:`THRESHOLD` in total. A single weak word in passing ("cooperation in
education and culture") is therefore not a theme, while one sentence naming
several facets of a domain, or two sentences that each touch it, are.

Keyword syntax (default file and user file alike):

* matched case-insensitively on whole words, ``ё`` read as ``е``;
* a trailing ``*`` on a word matches any ending: ``railway*``, ``транзит*``;
* a word that is just ``*`` stands for one to four words: ``invited * to visit``;
* a hyphen matches a hyphen, a space or nothing: ``high-level``;
* a keyword written with capitals (``UN``, ``EU``, ``ШОС``) must match that case;
* when one match lies inside a longer one (``security`` in ``food
  security``), only the longer counts.

User themes
-----------

Users may add themes or extend the default ones in a TOML file, read from the
file named by the environment variable ``BRIEFINGS_THEMES`` or else from
``themes.toml`` in the user config directory
(``platformdirs.user_config_dir("briefings")``, e.g. ``~/.config/briefings/``
on Linux)::

    # A new theme
    [[theme]]
    id = "water"
    label = "Water diplomacy"
    color = "#1f77b4"
    keywords = ["water diplomacy", "transboundary river*", "водн* дипломати*"]

    # Extend a default theme: its keywords are added, label/colour replaced if given
    [[theme]]
    id = "energy-resources"
    keywords = ["small modular reactor*"]

    # Weights (1-3, default 2) as a table instead of a list
    [[theme]]
    id = "space"
    label = "Space"
    keywords = { "space agency" = 3, "satellite*" = 2, "космодром*" = 3 }

    # Hide a default theme
    [[theme]]
    id = "development-aid"
    disabled = true

``id`` is required; ``label`` defaults to the id and ``color`` to a neutral
grey for new themes. User keywords apply to documents in every language. A
file that cannot be read or parsed is ignored with a warning, never fatal.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

__all__ = ["find_themes", "load_taxonomy", "reload_taxonomy", "user_themes_path", "THRESHOLD"]

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data") / "themes.json"
# Evidence a theme needs when it spans several sentences: a clear term (2)
# plus corroboration. Long texts (a news story, a joint statement) mention more
# in passing, so they need more.
THRESHOLD = 2.5
THRESHOLD_LONG = 4.0
LONG_DOC = 2500  # characters
# Evidence from a single sentence counts only when it names this many distinct
# terms of the domain ("science, research and universities").
SINGLE_SENTENCE_TERMS = 3
# One sentence never contributes more than this: a list of topics in a single
# sentence ("energy, transport, agriculture and education were named") is
# breadth, not discussion.
SENTENCE_CAP = 3.0
# A keyword of this weight is enough on its own: it names the meeting's format.
DECISIVE = 3.0
DEFAULT_USER_WEIGHT = 2.0
DEFAULT_COLOR = "#888888"

_SENT_BREAK = re.compile(r"[.!?;\n][\"'”»)]*\s+")
# Offices and bodies named after a domain ("Minister of Energy", "Ministry of
# Foreign and Diaspora Affairs", "Министр сельского хозяйства") say who spoke,
# not what was discussed: keyword matches inside such names are not evidence.
_TITLE_TRIGGERS = ("Minist", "Department", "Secretary", "Commissioner", "Committee", "Agency", "Office", "Directorate")
_TITLE_EN = re.compile(
    r"(?:Minist(?:er|ry|ries)|Department|Secretary|Commissioner|Committee|Agency|Office|Directorate)\s+(?:of|for)\s+"
    r"(?:the\s+)?(?:(?:[A-Z][\w'’-]*|and|of|the)(?:,?\s+|$))+")
_TITLE_RU = re.compile(
    r"(?<!\w)(?:[Мм]инистр|[Мм]инистерств|[Вв]едомств|[Кк]омитет|[Аа]гентств)\w*\s+(?:[а-яё-]+\s+){0,2}?"
    r"(?:дел|хозяйства|ресурсов|развития|промышленности|торговли|энергетики|транспорта|образования|"
    r"науки|здравоохранения|культуры|юстиции|обороны|экономики|финансов|сообщения|строительства|"
    r"коммуникаций|цифрового\s+развития)(?!\w)(?:\s+и\s+[а-яё-]+){0,2}")
_WORD = re.compile(r"\w")
_LEAD_WORD = re.compile(r"\w+")
# Characters that can precede a word: each automaton key is stored once after each of
# them, so keys only match at word starts without any pass over the text.
_BEFORE_WORD = " \n\t(«“\"'‘-/—–[\u00a0"


def user_themes_path() -> Path | None:
    """Where user themes are read from (None when no env var and no platformdirs)."""
    env = os.environ.get("BRIEFINGS_THEMES")
    if env:
        return Path(env).expanduser()
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - platformdirs is a declared dependency
        return None
    return Path(platformdirs.user_config_dir("briefings")) / "themes.toml"


@dataclass
class _Theme:
    id: str
    label: str
    color: str
    keywords: dict[str, dict[str, float]] = field(default_factory=dict)  # lang ("en"/"ru"/"*") -> {kw: w}
    source: str = "default"
    disabled: bool = False


@dataclass
class _Matcher:
    automaton: Any
    n_keywords: int


@dataclass
class _State:
    themes: list[_Theme]
    matchers: dict[str, _Matcher]


def _fold(text: str) -> str:
    """Lower-case without changing length, so offsets stay valid in the original."""
    low = text.lower()
    if len(low) != len(text):  # rare characters whose lower case is longer (e.g. "İ")
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("ё", "е")


def _compile_keyword(kw: str) -> tuple[str, str, bool]:
    """(literal Aho-Corasick key, pattern source to verify at the key's start, case-sensitive?)."""
    kw = " ".join(kw.split())
    case_sensitive = kw != kw.lower()
    words = kw.split(" ")
    parts: list[str] = []
    for i, w in enumerate(words):
        if w == "*":
            parts.append(r"(?:[^\s.;!?]+\s+){1,4}?")
            continue
        stem = w.endswith("*")
        core = w[:-1] if stem else w
        piece = r"[-\s]?".join(re.escape(p) for p in core.split("-"))
        parts.append(piece + (r"\w*" if stem else ""))
        if i < len(words) - 1:
            parts.append(r"\s+")
    last = words[-1]
    tail = "" if last.endswith("*") or not _WORD.match(last[-1:] or " ") else r"(?!\w)"
    pattern = "".join(parts) + tail
    lead = _LEAD_WORD.match(_fold(words[0]))
    return lead.group(0) if lead else "", pattern, case_sensitive


def _build_matcher(themes: list[_Theme], lang: str) -> _Matcher:
    auto = ahocorasick.Automaton()
    n = 0
    # key -> {(pattern source, case-sensitive): [(theme index, weight, keyword), ...]}
    entries: dict[str, dict[tuple[str, bool], list]] = {}
    for ti, theme in enumerate(themes):
        if theme.disabled:
            continue
        for kwlang in (lang, "*"):
            for kw, weight in theme.keywords.get(kwlang, {}).items():
                if not kw.strip() or kw.strip() == "*":
                    continue
                key, pattern, cs = _compile_keyword(kw)
                if not key:
                    continue
                entries.setdefault(key, {}).setdefault((pattern, cs), []).append((ti, float(weight), kw))
                n += 1
    for key, by_pattern in entries.items():
        # One alternation per key, longest phrase first: only the longest match at a
        # position is evidence anyway, and one regex call per hit keeps this fast.
        groups: list[tuple[re.Pattern, tuple, bool]] = []
        for cs in (False, True):  # case-sensitive patterns run on the original text
            items = sorted(((p, v) for (p, c), v in by_pattern.items() if c == cs), key=lambda pv: -len(pv[0]))
            if items:
                regex = re.compile("|".join(f"(?P<g{i}>{p})" for i, (p, _v) in enumerate(items)))
                groups.append((regex, tuple(tuple(v) for _p, v in items), cs))
        # A plain lower-case word ("energy", nothing longer keyed on it): the automaton has
        # matched it already, only the word boundary after it is left to check.
        fast = None
        if len(groups) == 1 and not groups[0][2] and groups[0][0].pattern == f"(?P<g0>{re.escape(key)}(?!\\w))":
            fast = groups[0][1][0]
        # Short keys ("the", "to", "e") hit everywhere: one substring test per document can rule
        # out every keyword on them. For longer keys the regex check is cheaper than that test.
        value = (len(key), tuple(groups), fast, _gate(by_pattern) if len(key) <= 3 else None)
        for before in _BEFORE_WORD:
            auto.add_word(before + key, value)
    if entries:
        auto.make_automaton()
    return _Matcher(auto if entries else None, n)


def _gate(by_pattern: dict[tuple[str, bool], list]) -> tuple[str, ...] | None:
    """Words one of which the folded text must contain for any keyword of a key to match, or None.

    Each keyword contributes its longest literal part after the key ("environment" for "the
    environment"); a keyword that is just the key's word gives no gate. Most hits of a
    short key ("the", "to", "e") belong to keywords whose other words the text never has.
    """
    words = set()
    for payloads in by_pattern.values():
        best = ""
        for _ti, _w, kw in payloads:
            parts = [part for i, w in enumerate(" ".join(kw.split()).split(" ")) if w != "*"
                     for j, part in enumerate((w[:-1] if w.endswith("*") else w).split("-")) if i or j]
            part = _fold(max(parts, key=len)) if parts else ""
            if not part or any(c in part for c in "σςΣ"):
                return None
            best = part
        words.add(best)
    return tuple(sorted(words))


def _load_default() -> list[_Theme]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    out = []
    for t in raw["themes"]:
        kws = {lang: {k.replace("ё", "е") if k == k.lower() else k: float(w) for k, w in d.items()}
               for lang, d in t.get("keywords", {}).items()}
        out.append(_Theme(t["id"], t.get("label", t["id"]), t.get("color", DEFAULT_COLOR), kws))
    return out


def _user_keywords(value: Any) -> dict[str, float]:
    if isinstance(value, list):
        return {str(k): DEFAULT_USER_WEIGHT for k in value if str(k).strip()}
    if isinstance(value, dict):
        return {str(k): float(w) for k, w in value.items() if str(k).strip()}
    if isinstance(value, str):
        return {value: DEFAULT_USER_WEIGHT}
    return {}


def _merge_user(themes: list[_Theme], path: Path | None) -> list[_Theme]:
    if path is None or not path.is_file():
        return themes
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("ignoring user themes file %s: %s", path, exc)
        return themes
    by_id = {t.id: t for t in themes}
    entries = data.get("theme", [])
    if not isinstance(entries, list):
        log.warning("ignoring user themes file %s: [[theme]] entries expected", path)
        return themes
    for entry in entries:
        if not isinstance(entry, dict) or not str(entry.get("id", "")).strip():
            log.warning("ignoring a user theme without an id in %s", path)
            continue
        tid = str(entry["id"]).strip()
        try:
            kws = _user_keywords(entry.get("keywords", []))
        except (TypeError, ValueError):
            log.warning("ignoring bad keywords of user theme %r in %s", tid, path)
            kws = {}
        theme = by_id.get(tid)
        if theme is None:
            theme = _Theme(tid, str(entry.get("label") or tid), str(entry.get("color") or DEFAULT_COLOR),
                           {}, source="user")
            by_id[tid] = theme
            themes.append(theme)
        else:
            theme.label = str(entry.get("label") or theme.label)
            theme.color = str(entry.get("color") or theme.color)
            theme.source = "default+user"
        theme.disabled = bool(entry.get("disabled", False))
        theme.keywords.setdefault("*", {}).update(kws)
    return themes


_STATE: _State | None = None


def _state() -> _State:
    global _STATE
    if _STATE is None:
        themes = _merge_user(_load_default(), user_themes_path())
        _STATE = _State(themes, {lang: _build_matcher(themes, lang) for lang in ("en", "ru")})
    return _STATE


def reload_taxonomy() -> None:
    """Forget the compiled taxonomy so the next call re-reads the default and user files."""
    global _STATE
    _STATE = None


def load_taxonomy() -> list[dict]:
    """Every active theme: [{"id", "label", "color", "source", "keywords": {lang: [kw, ...]}}]."""
    out = []
    for t in _state().themes:
        if t.disabled:
            continue
        out.append({"id": t.id, "label": t.label, "color": t.color, "source": t.source,
                    "keywords": {lang: sorted(d) for lang, d in t.keywords.items()}})
    return out


def _hits(text: str, lang: str) -> list[tuple[int, int, int, float, str]]:
    """Every keyword match as (start, end, theme index, weight, keyword), longest-match filtered."""
    matcher = _state().matchers.get(lang) or _state().matchers["en"]
    if matcher.automaton is None:
        return []
    low = _fold(text)
    n = len(low)
    raw: list[tuple[int, int, int, float, str]] = []
    append = raw.append
    gates: dict[tuple[str, ...], bool] = {}
    for end, (key_len, groups, fast, gate) in matcher.automaton.iter(" " + low):  # the space lets a key match at 0
        s = end - key_len  # end is inclusive and the text is shifted by the leading space
        if fast is not None:
            e = end  # the key's end in low
            if e < n and ((c := low[e]).isalnum() or c == "_"):
                continue
            for ti, weight, kw in fast:
                append((s, e, ti, weight, kw))
            continue
        if gate is not None:
            ok = gates.get(gate)
            if ok is None:
                ok = gates[gate] = any(w in low for w in gate)
            if not ok:
                continue
        for regex, payloads, cs in groups:
            m = regex.match(text if cs else low, s)
            if m is None:
                continue
            for ti, weight, kw in payloads[int(m.lastgroup[1:])]:
                append((s, m.end(), ti, weight, kw))
    if not raw:
        return raw
    raw.sort(key=lambda h: (h[0], -h[1]))
    kept: list[tuple[int, int, int, float, str]] = []
    max_end = -1
    prev_span = (-1, -1)
    for h in raw:
        span = (h[0], h[1])
        if h[1] <= max_end and span != prev_span:
            continue  # inside a longer match: the longer phrase is the evidence
        kept.append(h)
        if h[1] > max_end:
            max_end = h[1]
            prev_span = span
    return kept


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENT_BREAK.finditer(text)]


def _masked(text: str, lang: str) -> list[tuple[int, int]]:
    if lang == "ru":
        return [m.span() for m in _TITLE_RU.finditer(text)]
    out = []
    for trigger in _TITLE_TRIGGERS:  # str.find is far faster than a regex scan
        pos = text.find(trigger)
        while pos >= 0:
            m = _TITLE_EN.match(text, pos)
            if m:
                out.append(m.span())
            pos = text.find(trigger, pos + 1)
    out.sort()
    return out


def _accept(score: float, n_sentences: int, n_terms: int, strongest: float, length: int) -> bool:
    """The evidence rule (see the module docstring)."""
    if strongest >= DECISIVE:
        return True  # the meeting's own format ("political consultations")
    if strongest < 2:
        return False  # weak words only corroborate
    if n_sentences == 1 and n_terms >= SINGLE_SENTENCE_TERMS:
        return True  # one sentence naming several facets of the domain
    return (n_sentences >= 2 or n_terms >= 2) and score >= (THRESHOLD_LONG if length > LONG_DOC else THRESHOLD)


def score_themes(text: str, *, lang: str) -> dict[str, dict]:
    """Evidence per theme: {id: {"score", "sentences", "terms", "accepted", "spans", "keywords"}}."""
    state = _state()
    hits = _hits(text, lang)
    if not hits:
        return {}
    masks = _masked(text, lang)
    if masks:
        mask_starts = [m[0] for m in masks]

        def inside(h: tuple) -> bool:
            k = bisect.bisect_right(mask_starts, h[0]) - 1
            return k >= 0 and h[1] <= masks[k][1]
        hits = [h for h in hits if not inside(h)]
    starts = _sentence_starts(text)
    # theme -> sentence -> {span: (weight, keyword)}: one place in the text counts once
    per: dict[int, dict[int, dict[tuple[int, int], tuple[float, str]]]] = {}
    for s, e, ti, w, kw in hits:
        sent = bisect.bisect_right(starts, s) - 1
        slot = per.setdefault(ti, {}).setdefault(sent, {})
        if (s, e) not in slot or slot[(s, e)][0] < w:
            slot[(s, e)] = (w, kw)
    out = {}
    for ti, sents in per.items():
        score = 0.0
        terms: set[str] = set()
        strongest = 0.0
        for slot in sents.values():
            by_kw: dict[str, float] = {}
            for w, kw in slot.values():
                by_kw[kw] = max(w, by_kw.get(kw, 0.0))
            score += min(SENTENCE_CAP, sum(by_kw.values()))
            terms.update(by_kw)
            strongest = max(strongest, max(by_kw.values()))
        spans = sorted([s, e] for slot in sents.values() for (s, e) in slot)
        out[state.themes[ti].id] = {
            "score": score, "sentences": len(sents), "terms": len(terms),
            "accepted": _accept(score, len(sents), len(terms), strongest, len(text)),
            "spans": spans, "keywords": sorted(terms),
        }
    return out


def find_themes(text: str, *, lang: str) -> list[dict]:
    """Themes substantively discussed: [{"id", "spans": [[s, e], ...]}] sorted by id."""
    scored = score_themes(text, lang=lang)
    return [{"id": tid, "spans": info["spans"]} for tid, info in sorted(scored.items()) if info["accepted"]]


_state()  # compile at import: the first document must not pay for it
