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
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick

from store.extract.text import lower_aligned

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

_SENT_BREAK = re.compile(r"[.!?;\n][\"'”»)]*+\s++")  # possessive: no quote is a space, and nothing follows
_BREAK_MARKED = ".!?;"  # the characters a _SENT_BREAK starts with, but the line break
# Offices and bodies named after a domain ("Minister of Energy", "Ministry of
# Foreign and Diaspora Affairs", "Министр сельского хозяйства") say who spoke,
# not what was discussed: keyword matches inside such names are not evidence.
_TITLE_TRIGGERS = ("Minist", "Department", "Secretary", "Commissioner", "Committee", "Agency", "Office", "Directorate")
_TRIGGER_INITIALS = "".join(sorted({t[0] for t in _TITLE_TRIGGERS}))  # what _TITLE_EN's first character can be
# The name's words are taken possessively (*+, ++): nothing follows them in the pattern, so the
# greedy match is final and the engine need not keep a way back into each word and space; so are
# the spaces before "of"/"for", "the" and the name, which never start with a space. ("the" itself is
# not: "the economy" goes back to "the" as a word of the name.)
_TITLE_EN = re.compile(
    r"(?:Minist(?:er|ry|ries)|Department|Secretary|Commissioner|Committee|Agency|Office|Directorate)\s++(?:of|for)\s++"
    r"(?:the\s++)?(?:(?:[A-Z][\w'’-]*+|and|of|the)(?:,?\s++|$))++")
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
# The same on whitespace-collapsed text, where every whitespace run is one space.
_BEFORE_COLLAPSED = " " + "".join(c for c in _BEFORE_WORD if not c.isspace())
# Whitespace that cannot precede a keyword (every str.isspace() character but " \n\t\u00a0", e.g.
# "\r"): text with any keeps the slow path, since collapsing would turn it into a word start.
_ODD_WS = "\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_ODD_WS_ASCII = "".join(c for c in _ODD_WS if c.isascii())  # the only ones an ASCII text (str.isascii() is free) can hold
_WORD_TAIL = re.compile(r"\w*")
# Characters by how often they occur in English and Russian text (word-start characters first),
# and how many leading characters of the keys are ordered by it (see _build_matcher).
_LETTER_RANK = {c: i for i, c in enumerate(" -'etaoinshrdlcumwfgypbvkjxqzоеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъ")}
_SEEDED = 4
# What an automaton value (code, key length, item, extra) is, by its code (the scan tests the
# commonest first); an item is what a match adds for one keyword (see _hit_items):
_WORD_HIT = 0  # a plain keyword without spaces, matched once a word end follows
_PHRASE_HIT = 1  # the same with spaces (whitespace may differ); extra: (the key, its regex, where
# its space is when it has one, else -1)
_STEM_HIT = 2  # a plain keyword without spaces ending in a stem; extra: the item without its length
_TRIGGER = 3  # a word that can start an office's name (see _masked); extra: None
# (the same code, extra True: three spaces, a run of whitespace to collapse, see _scan)
_OTHER = 4  # extra: the entries of any other keywords on the key (see _build_matcher); item: whether
# every one of them needs a word end right after the key (see _other_value)


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
    mapped: str = ""  # word-start characters read as a space (see _build_matcher)


_LANGS = ("en", "ru")  # languages with keywords of their own; any other reads English ones


@dataclass
class _State:
    """The taxonomy, and its matchers built when first needed: labels and colours
    (:func:`load_taxonomy`) must not wait for the automatons."""

    themes: list[_Theme]
    fast: dict[str, _Matcher] = field(default_factory=dict)
    slow: dict[str, _Matcher] = field(default_factory=dict)
    # Whether every weight is a number not below 0 (not NaN: user files may say anything), which
    # :func:`_accepted` needs to decide without :func:`_weigh`.
    plain_weights: bool = field(init=False)

    def __post_init__(self) -> None:
        self.plain_weights = all(w >= 0.0 for t in self.themes for kws in t.keywords.values() for w in kws.values())

    def matcher(self, lang: str) -> _Matcher:
        return self._built(self.fast, _build_matcher, lang)

    def slow_matcher(self, lang: str) -> _Matcher:
        return self._built(self.slow, _build_slow_matcher, lang)

    def _built(self, cache: dict[str, _Matcher], build: Any, lang: str) -> _Matcher:
        """The matcher of ``lang`` (English for a language without keywords), built on first use."""
        if lang not in _LANGS:
            lang = "en"
        m = cache.get(lang)
        if m is None:
            m = cache[lang] = build(self.themes, lang)
        return m


def _fold(text: str) -> str:
    """Lower-case without changing length, so offsets stay valid in the original (the document's
    lower-cased copy is shared with the other modules)."""
    low = lower_aligned(text)
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


def _groups(themes: list[_Theme], lang: str) -> tuple[dict[str, dict[tuple[str, bool], list]], int, dict]:
    """Keywords by lead word: {key: {(pattern source, case-sensitive): [(theme index, weight, keyword), ...]}}."""
    n = 0
    entries: dict[str, dict[tuple[str, bool], list]] = {}
    literal: dict[tuple[str, bool], tuple[str, bool, bool]] = {}  # (pattern, cs) -> (phrase, stem, end check)
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
                lit = _literal(kw, cs)
                if lit is not None:
                    literal[(pattern, cs)] = lit
                n += 1
    return entries, n, literal


def _literal(kw: str, cs: bool) -> tuple[str, bool, bool] | None:
    """(phrase, ends with a stem?, needs a word end after it?) when ``kw`` is a plain phrase, else None.

    A plain phrase is lower-case, has no ``*`` word and at most a trailing ``*`` on its last word:
    the automaton matches its every spelling (hyphen variants expanded) on whitespace-collapsed text.
    """
    if cs:
        return None
    words = " ".join(kw.split()).split(" ")
    last = words[-1]
    stem = last.endswith("*")
    if stem:
        words[-1] = last[:-1]
    if any("*" in w or not w or any(not p for p in w.split("-")) for w in words):
        return None
    end_check = not stem and bool(_WORD.match(last[-1:] or " "))
    return " ".join(words), stem, end_check


def _variants(phrase: str) -> list[str]:
    r"""Every spelling of ``phrase`` that ``[-\s]?`` between hyphenated parts allows (whitespace as one space)."""
    out = [""]
    for i, part in enumerate(phrase.split("-")):
        if i == 0:
            out = [part]
        else:
            out = [o + sep + part for o in out for sep in ("-", " ", "")]
    return out


def _spacings(phrase: str) -> list[str]:
    """``phrase`` with each of its spaces as one space or two: a paragraph break ("\\n\\n") inside
    a phrase then needs no collapsing of the text (see :func:`_collapsed`)."""
    out = [""]
    for i, word in enumerate(phrase.split(" ")):
        out = [word] if i == 0 else [o + sep + word for o in out for sep in (" ", "  ")]
    return out


def _build_matcher(themes: list[_Theme], lang: str) -> _Matcher:
    """Automaton over the folded text with whitespace read as a space (see :func:`_scan`).

    Plain phrases are keys in full, so a hit is a match once the word end after it is checked;
    other keywords (``*`` words, stems before the last word, case-sensitive ones) keep the
    lead-word key and a regex check at the hit, as :func:`_build_slow_matcher` does for all.
    Keywords sharing a lead word form a group in which, at one position, only the first
    alternative (longest pattern first) that matches counts, as in one regex alternation.
    """
    auto = ahocorasick.Automaton()
    entries, n, literal = _groups(themes, lang)
    values: dict[str, list] = {}
    keys: list[tuple[str, tuple]] = []
    for gid, (key, by_pattern) in enumerate(entries.items()):
        for cs in (False, True):
            items = sorted(((p, v) for (p, c), v in by_pattern.items() if c == cs), key=lambda pv: -len(pv[0]))
            if not items:
                continue
            tie = len(key) * 2 + cs
            group = gid * 2 + cs
            multi = len(items) > 1 and not _longest_wins([literal.get((p, cs)) for p, _v in items])
            slow = []
            for idx, (p, v) in enumerate(items):
                payloads = _hit_items(tie, v)
                lit = literal.get((p, cs))
                if lit is None:
                    slow.append((idx, p, payloads))
                    continue
                phrase, stem, end_check = lit
                verify = re.compile(p)
                for var in (v for spaced in _spacings(phrase) for v in _variants(spaced)):
                    # only a phrase with a space can span a whitespace run or a mapped character
                    value = (0, len(var), stem, end_check, tie, group if multi else -1, idx, payloads,
                             verify if " " in var else None)
                    keys.append((var, value))
            if slow:
                regex = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_i, p, _v) in enumerate(slow)))
                alts = tuple((idx, payloads) for idx, _p, payloads in slow)
                # Whether every alternative needs a word end right after the key ("UN", not "under"):
                # the scan then rules out most hits of a short key before any regex runs.
                lead_ends = all(_fold(" ".join(kw.split()).split(" ")[0]) == key
                                for _i, _p, payloads in slow for _t, _i2, _ti, _w, kw in payloads)
                value = (1, len(key), regex, cs, tie, group if multi else -1, alts, lead_ends, None)
                keys.append((key, value))
    # Word-start characters no key contains ("(", "«", "/", ...) are read as a space in the text,
    # so each key is stored after a space and the few characters keys do contain ("-", "'"),
    # not after every word-start character: a much smaller automaton.
    kept = "".join(c for c in _BEFORE_COLLAPSED if c == " " or any(c in k for k, _v in keys))
    mapped = "".join(c for c in _BEFORE_COLLAPSED if c not in kept)
    for k, value in keys:
        for before in kept:
            values.setdefault(before + k, []).append(value)
    # Keys after a space and without a double space first, shortest first: the nodes most texts
    # walk through are then allocated together, which keeps them in the processor's cache between
    # documents (the other stages of the extractor run in between).
    by_length = sorted(values.items(), key=lambda kv: (kv[0][0] != " ", "  " in kv[0], len(kv[0])))
    # A node looks a character up among its children in the order they were added, and most
    # characters of a text are looked up in the shallow nodes (a word's first letters). So first
    # come, in the order of letter frequency, the shortest key of each distinct start of
    # _SEEDED characters: the shallow nodes then list their commonest letters first. The order
    # changes no match (the automaton's states and outputs are the same), only the walk's cost.
    seeds: dict[str, tuple[str, list]] = {}
    for kv in by_length:
        seeds.setdefault(kv[0][:_SEEDED], kv)
    first = sorted(seeds.values(), key=lambda kv: [_LETTER_RANK.get(c, len(_LETTER_RANK)) for c in kv[0][:_SEEDED]])
    seeded = {kv[0] for kv in first}
    for k, v in first + [kv for kv in by_length if kv[0] not in seeded]:
        auto.add_word(k, _scan_value(k[1:], v[0]) if len(v) == 1 else _other_value(v))
    # Office-name triggers last: the space then comes first among the root's children, which the
    # walk looks up at every character outside a key.
    if values and lang == "en":  # office names are masked in English only (see _masked)
        for trigger in _TITLE_TRIGGERS:
            auto.add_word(_fold(trigger), (_TRIGGER, len(trigger), None, None))
    # Three spaces, whether the text needs collapsing (see _scan): no key ends in a space, so no
    # key's hit shares its end; added last, it is looked up last among the children of the space.
    if values:
        auto.add_word("   ", (_TRIGGER, 3, None, True))
        auto.make_automaton()
    return _Matcher(auto if values else None, n, mapped)


def _hit_items(tie: int, payloads: list[tuple[int, float, str]]) -> tuple[tuple, ...]:
    """What a match of a key adds for each of its keywords, but for its length (see :func:`_entry`):
    (tie, the keyword's place among them, theme index, weight, keyword)."""
    return tuple((tie, i, ti, w, kw) for i, (ti, w, kw) in enumerate(payloads))


def _entry(s: int, e: int, item: tuple) -> tuple[int, tuple, int]:
    """A raw match of ``item`` (see :func:`_hit_items`) at [s, e): (s, (s - e, *item), e).

    Sorted, raw matches come in text order, longest first at one start, and at one span in the
    order the keywords are listed, as (s, -e, *item) would, and need no loop over them. The
    automaton values of the commonest kinds hold (-key length, *item) ready made (see
    :func:`_scan_value`): a match then costs one int and one tuple, not four objects."""
    tie, i, ti, w, kw = item
    return s, (s - e, tie, i, ti, w, kw), e


def _scan_value(var: str, entry: tuple) -> tuple:
    """The automaton value for a key with one entry: the commonest kinds get a short tuple of their own."""
    kind, klen, stem, end_check, _tie, group, _idx, items, verify = entry
    if kind == 0 and group < 0 and len(items) == 1:
        item = (-klen, *items[0])  # a match without a stem's ending is as long as the key
        if not stem and end_check:
            if verify is None:
                return (_WORD_HIT, klen, item, None)
            return (_PHRASE_HIT, klen, item, (var, verify, var.index(" ") if var.count(" ") == 1 else -1))
        if stem and verify is None:
            return (_STEM_HIT, klen, item, items[0])
    return _other_value([entry])


def _other_value(entries: list[tuple]) -> tuple:
    """The automaton value of the entries of a key that none of the short kinds fits, with whether
    each needs a word end right after the key: a plain phrase that is not a stem and ends in a word
    character, or a lead word whose every keyword is that word ("UN"). A hit followed by a word
    character ("un" in "united", some five a briefing) is then dismissed by one test, as each entry
    would dismiss it in turn."""
    ends = all(not e[2] and e[3] if e[0] == 0 else e[7] for e in entries)
    return (_OTHER, 0, ends, tuple(entries))


def _longest_wins(lits: list[tuple[str, bool, bool] | None]) -> bool:
    """Whether, for these alternatives of one group (in order), the first that matches at a position
    is always strictly the longest match there, so that the longest-match filter alone picks it.

    Only plain phrases are decided; anything else keeps the per-position choice. Two alternatives
    match at one position only when one spelling starts with the other.
    """
    if any(lit is None for lit in lits):
        return False
    spellings = [_variants(lit[0]) for lit in lits]  # type: ignore[index]
    for i, vi in enumerate(spellings):
        _phrase, stem, end_check = lits[i]  # type: ignore[misc]
        for j in range(i + 1, len(lits)):
            later_stem = lits[j][1]  # type: ignore[index]
            for a in vi:
                for b in spellings[j]:
                    if b.startswith(a):
                        # the earlier can match no longer than the later, unless it needs a word
                        # end where the later goes on with a word character
                        if stem or len(b) == len(a) or not end_check or not _WORD.match(b[len(a)]):
                            return False
                    elif a.startswith(b) and later_stem and _WORD_TAIL.fullmatch(a, len(b)):
                        return False  # the later's stem runs as far as the earlier's match
    return True


def _build_slow_matcher(themes: list[_Theme], lang: str) -> _Matcher:
    """The lead-word automaton on the uncollapsed text: for text with unusual whitespace."""
    auto = ahocorasick.Automaton()
    entries, n, _literal_ = _groups(themes, lang)
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
        _STATE = _State(_merge_user(_load_default(), user_themes_path()))
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


def _spaced(low: str, mapped: str) -> str:
    """``low`` with whitespace and ``mapped`` characters read as a space."""
    clow = low
    for c in "\n\t\u00a0":
        if c in clow:
            clow = clow.replace(c, " ")
    for c in mapped:
        if c in clow:
            clow = clow.replace(c, " ")
    return clow


def _collapsed(low: str, mapped: str) -> tuple[str, list[int], list[int]]:
    """``low`` with whitespace and ``mapped`` characters read as a space (see :func:`_spaced`) and,
    if that makes a run of three spaces or more anywhere, every run of spaces made one; and how to
    map an index c of the result back: c + removed[k] for the last k with bounds[k] <= c (``bounds``
    starts with -1 and ends with a bound past the text)."""
    clow = _spaced(low, mapped)
    n = len(clow)
    bounds = [-1]
    removed = [0]
    # Keys spell every space of a phrase as one or two (see _spacings): a paragraph break ("\n\n")
    # needs no collapsing, and most texts keep their indices
    i = clow.find("   ")
    if i < 0:
        bounds.append(n + 1)
        return clow, bounds, removed
    i = clow.find("  ")
    parts = []
    pos = 0
    while i >= 0:
        j = i + 2
        while j < n and clow[j] == " ":
            j += 1
        parts.append(clow[pos:i + 1])
        bounds.append(i + 1 - removed[-1])  # the first index after the run's one space, collapsed
        removed.append(removed[-1] + j - i - 1)
        pos = j
        i = clow.find("  ", j)
    parts.append(clow[pos:])
    bounds.append(n + 1)
    return "".join(parts), bounds, removed


def _scan(text: str, low: str, matcher: _Matcher, collapse: bool = False) -> tuple[list, list[int]] | None:
    """Raw keyword matches as (start, item, end) (see :func:`_entry`), unsorted and not yet
    longest-match filtered, and where office-name triggers start; None when the text needs
    :func:`_hits_slow`.

    The automaton runs on the folded text with whitespace read as a space (see :func:`_collapsed`),
    so plain phrases match in full (see :func:`_build_matcher`); a phrase hit that does not spell
    its key exactly in the folded text (a newline, a collapsed run inside) is checked again with
    its keyword's regex there.

    Whether the text needs collapsing (a run of three spaces) the walk itself tells, by the key of
    three spaces: where it finds one, the scan starts again on collapsed text (``collapse``), as
    rare as such runs are, instead of a search of every text for them first.
    """
    if collapse:
        clow, bounds, removed = _collapsed(low, matcher.mapped)
    else:
        for c in _ODD_WS_ASCII if low.isascii() else _ODD_WS:
            if c in low:
                return None
        clow = _spaced(low, matcher.mapped)
        bounds = [-1, len(clow) + 1]
        removed = [0]
    collapsed = len(bounds) > 2
    n = len(clow)
    clow += " "  # so that a character follows every key: no key ends in a space
    raw: list = []  # the plain kinds, at indices of clow (the same as in low unless collapsed)
    append = raw.append
    exact: list = []  # the others, at indices of low
    triggers: list[int] = []
    best: dict[tuple[int, int], tuple] = {}
    tail = _WORD_TAIL.match
    # The automaton reports the keys ending at one place longest first (it follows suffix links):
    # once one of the three plain kinds below matched there, the shorter ones of these kinds lie
    # inside it and cannot count (the others may belong to a group, see _build_matcher).
    covered = -1
    for end, (code, klen, item, extra) in matcher.automaton.iter(" " + clow):
        # end is the index of the key's last character in " " + clow: clow[end] follows the key
        if code == 0:  # _WORD_HIT
            if end == covered or (c := clow[end]) != " " and (c.isalnum() or c == "_"):
                continue
            append((end - klen, item, end))
            covered = end
        elif code == 1:  # _PHRASE_HIT
            if end == covered or (c := clow[end]) != " " and (c.isalnum() or c == "_"):
                continue
            s = end - klen
            if collapsed:
                at = s + _removed_before(bounds, removed, s)
                spelled = low.startswith(extra[0], at)
            elif (k := extra[2]) >= 0:
                # low differs from clow only where clow has a space, read from whitespace or a
                # mapped character: a key with one space is spelled in low if its space is one
                # there too (no method call, whose arguments are parsed from a tuple)
                at = s
                spelled = low[s + k] == " "
            else:
                at = s
                spelled = low.startswith(extra[0], s)
            # a newline or a collapsed run inside: the regex decides (it ends where the key does)
            if spelled or extra[1].match(low, at) is not None:
                # Plain matches starting inside the phrase lie inside it ("food" in "food security":
                # reported earlier, they end no later, a stem's ending too, since the phrase ends at
                # a word end): the longest-match filter would drop them, and they would unsort raw
                # (each costs comparisons in the sort and a turn of the filter's loop).
                while raw and raw[-1][0] >= s:
                    raw.pop()
                append((s, item, end))
                covered = end
        elif code == 2:  # _STEM_HIT
            if end == covered:
                continue
            covered = end
            if (c := clow[end]) == " " or not (c.isalnum() or c == "_"):
                append((end - klen, item, end))  # the commonest case: no ending, no regex call
            else:  # the ending makes the match longer than the key: _entry's tuple, without its call
                s = end - klen
                e = tail(clow, end).end()
                append((s, (s - e,) + extra, e))
        elif code == 3:  # _TRIGGER
            if extra is None:
                triggers.append(end - klen)
            elif 3 <= end <= n and not collapse:  # three spaces inside clow (not with the spaces added)
                return _scan(text, low, matcher, True)
        else:
            if item and (c := clow[end]) != " " and (c.isalnum() or c == "_"):
                continue  # every entry needs a word end after the key (see _other_value)
            for kind, klen, a, b, _tie, group, idx, items, verify in extra:
                s = end - klen
                d = _removed_before(bounds, removed, s) if collapsed else 0
                if kind == 0:  # a plain phrase: a = stem?, b = word end needed?
                    e = end
                    if a:
                        e = tail(clow, e).end()
                    elif b and e < n and ((c := clow[e]).isalnum() or c == "_"):
                        continue
                    if verify is not None:
                        # unless the folded text spells the match exactly, whitespace
                        # lies inside: the regex decides
                        spelled = clow[s:e]
                        s += d
                        e = s + len(spelled)
                        if not low.startswith(spelled, s):
                            m = verify.match(low, s)
                            if m is None:
                                continue
                            e = m.end()
                    else:
                        s += d
                        e += d
                else:  # a lead word: a = the regex of the group's other keywords, b = case-sensitive?
                    if items and end < n and ((c := clow[end]).isalnum() or c == "_"):
                        continue  # every keyword needs a word end after the key (items holds that flag)
                    s += d
                    m = a.match(text if b else low, s)
                    if m is None:
                        continue
                    idx, items = idx[int(m.lastgroup[1:])]
                    e = m.end()
                if group < 0:
                    for item in items:
                        exact.append(_entry(s, e, item))
                else:
                    cur = best.get((group, s))
                    if cur is None or idx < cur[0]:
                        best[(group, s)] = (idx, e, items)
    if collapsed:  # back to indices of low: a match never ends in a collapsed run (but a phrase may
        # span one, and be longer there than its key)
        raw = [_entry(s + _removed_before(bounds, removed, s), e + _removed_before(bounds, removed, e - 1), item[1:])
               for s, item, e in raw]
        triggers = [s + _removed_before(bounds, removed, s) for s in triggers]
    raw += exact
    for (_group, s), (_idx, e, items) in best.items():
        for item in items:
            raw.append(_entry(s, e, item))
    return raw, triggers


def _removed_before(bounds: list[int], removed: list[int], c: int) -> int:
    """How many characters :func:`_collapsed` removed before its index ``c``."""
    return removed[bisect.bisect_right(bounds, c) - 1]


def _hits(text: str, lang: str) -> list[tuple[int, int, int, float, str]]:
    """Every keyword match as (start, end, theme index, weight, keyword), longest-match filtered
    (the tests hold it to :func:`_hits_slow`; :func:`_theme_hits` does the same on the way)."""
    matcher = _state().matcher(lang)
    if matcher.automaton is None:
        return []
    low = _fold(text)
    found = _scan(text, low, matcher)
    if found is None:
        return _hits_slow(text, lang, low)
    raw = found[0]
    raw.sort()  # (start, -end, tie, place) is unique: one alternative per group and position
    kept: list[tuple[int, int, int, float, str]] = []
    max_end = -1
    prev_span = (-1, -1)
    for s, (_neg, _tie, _i, ti, weight, kw), e in raw:
        if e <= max_end and (s, e) != prev_span:
            continue  # inside a longer match: the longer phrase is the evidence
        kept.append((s, e, ti, weight, kw))
        if e > max_end:
            max_end = e
            prev_span = (s, e)
    return kept


def _first3(h: tuple) -> tuple:
    return h[0], h[1], h[2]


def _hits_slow(text: str, lang: str, low: str | None = None) -> list[tuple[int, int, int, float, str]]:
    """Every keyword match as (start, end, theme index, weight, keyword), longest-match filtered."""
    state = _state()
    matcher = state.slow_matcher(lang)
    if matcher.automaton is None:
        return []
    if low is None:
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


def _break_marks(text: str) -> str:
    """``text`` with every character a _SENT_BREAK starts with made a line break, itself one of them:
    str.find("\\n") then finds the next place a break may start in a plain C scan, where a regex
    search tests each character against the class (some fifty instructions a character)."""
    for c in _BREAK_MARKED:
        if c in text:
            text = text.replace(c, "\n")
    return text


def _next_sentence(text: str, marks: str, pos: int) -> int:
    """Where the break that ends the sentence containing the word character at ``pos`` starts:
    a sentence break is made of non-word characters only, so the first break at or after a
    word's start is the one finditer would find; past the text when there is none.

    As _SENT_BREAK.search(text, pos).start(), trying only where ``marks`` (see :func:`_break_marks`)
    has a line break."""
    p = marks.find("\n", pos)
    while p >= 0:
        if _SENT_BREAK.match(text, p) is not None:
            return p
        p = marks.find("\n", p + 1)
    return len(text) + 1


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


def _office_spans(text: str, triggers: list[int]) -> list[tuple[int, int]]:
    """:func:`_masked` for English from where the automaton saw a trigger (in any case: the
    case-sensitive regex only matches where :func:`_masked` would have found the trigger)."""
    out = []
    for pos in triggers:
        # a trigger in lower case ("ministers", some two a briefing) fails the regex's first character
        if text[pos] in _TRIGGER_INITIALS and (m := _TITLE_EN.match(text, pos)):
            out.append(m.span())
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


def _theme_hits(text: str, lang: str) -> dict[int, tuple[list[list[int]], list[int], list[tuple]]]:
    """theme index -> its evidence in text order: the [start, end] spans, the sentence of each,
    known by where the break after it starts (see :func:`_next_sentence`), and the item of each
    (see :func:`_entry`; :func:`_evidence` reads weights and keywords out): one per place, the first of its heaviest
    keywords. Kept matches never share a start unless they share the span, so the spans are
    distinct and sorted."""
    state = _state()
    matcher = state.fast.get(lang) or state.matcher(lang)  # built on first use
    if matcher.automaton is None:
        return {}
    low = _fold(text)
    found = _scan(text, low, matcher)
    if found is None:
        raw = [_entry(s, e, (0, 0, ti, w, kw)) for s, e, ti, w, kw in _hits_slow(text, lang, low)]
        if not raw:
            return {}
        masks = _masked(text, lang)
    else:
        raw, triggers = found
        if not raw:
            return {}
        raw.sort()  # (start, -end, tie, place) is unique: one alternative per group and position
        masks = _masked(text, lang) if lang == "ru" else _office_spans(text, triggers)
    # One pass in text order: the longest-match filter, then masks and sentences walked alongside
    # (the masks end with a start past the text, so the walk needs no bounds check). A sentence is
    # known by where the break after it starts, found only for sentences with a hit: most breaks lie between hits
    # of no interest, and weighing only asks whether two hits share a sentence.
    masks.append((len(text) + 1, 0))
    si = -1  # where the break after the hit's sentence starts
    marks = _break_marks(text)
    next_mark = marks.find
    last = len(text) - 1
    mi = 0
    mask_end = -1  # end of the last mask starting at or before the hit
    next_mask = masks[0][0]
    # By theme index (a list index is cheaper than a dict lookup); the spans are built here as
    # find_themes returns them, not copied out of the evidence afterwards. A hit adds its sentence
    # and its item to lists of their own: no tuple made per hit. ``found`` holds the same evidence
    # by theme in the order found, as returned (a dict store per theme, no dict built at the end).
    by_theme: list[tuple[list, list, list] | None] = [None] * len(state.themes)
    found: dict[int, tuple[list[list[int]], list[int], list[tuple]]] = {}
    max_end = ps = pe = -1  # the furthest end so far, and the span that first reached it
    for s, item, e in raw:
        if e > max_end:
            max_end, ps, pe = e, s, e
            again = False
        elif s != ps or e != pe:
            continue  # inside a longer match: the longer phrase is the evidence
        else:
            again = True  # another keyword on the same span
        if s >= next_mask:
            while masks[mi][0] <= s:
                mask_end = masks[mi][1]
                mi += 1
            next_mask = masks[mi][0]
        if e <= mask_end:
            continue  # inside an office's name ("Minister of Energy")
        if s > si:  # past the break (a hit starts at a word character, never inside a break)
            # _next_sentence without its call and without a regex in the commonest case (some 28 a
            # briefing): the first mark after the hit is followed by a space or a line break, so
            # _SENT_BREAK matches there (its quotes are optional, its whitespace needs one)
            p = next_mark("\n", s)
            if 0 <= p < last and text[p + 1] in " \n":
                si = p
            else:
                si = _next_sentence(text, marks, s)
        ti = item[3]
        evidence = by_theme[ti]
        if evidence is None:
            by_theme[ti] = found[ti] = ([[s, e]], [si], [item])
            continue
        spans, sentences, items = evidence
        if again and spans[-1][0] == s:
            if items[-1][4] < item[4]:  # a heavier keyword of the theme on the same span
                items[-1] = item
        else:
            spans.append([s, e])
            sentences.append(si)
            items.append(item)
    return found


_WEIGHT = itemgetter(4)  # of an item (see _entry)
_KEYWORD = itemgetter(5)


def _evidence(sentences: list[int], items: list[tuple]) -> list[tuple[int, float, str]]:
    """A theme's evidence from :func:`_theme_hits` as (sentence, weight, keyword), as :func:`_weigh` reads it."""
    return list(zip(sentences, map(_WEIGHT, items), map(_KEYWORD, items)))


def _weigh(hits: list[tuple[int, float, str]], enough: float | None = None) -> tuple[float, set[str], int, float]:
    """(score, terms, sentences, strongest weight) of one theme's evidence (see the module docstring):
    in a sentence each keyword counts once, with its heaviest weight.

    With ``enough``, weighing stops once the evidence is accepted whatever follows (a decisive
    keyword, or a clear term and a score of ``enough`` over two sentences or terms: the score, the
    counts and the strongest weight only grow); :func:`_accept` accepts the partial result too.
    """
    if len(hits) == 1:  # the commonest case, without the dict below
        _si, w, kw = hits[0]
        total = 0 + (w if w >= 0.0 else 0.0)  # as sum() of the dict below
        return 0.0 + (SENTENCE_CAP if SENTENCE_CAP <= total else total), {kw}, 1, (total if total > 0.0 else 0.0)
    score = strongest = 0.0
    terms: set[str] = set()
    sentences = 1
    by_kw: dict[str, float] = {}  # this sentence's keywords
    sentence = hits[0][0]
    for si, w, kw in hits:
        if si != sentence:  # the previous sentence is complete
            total = sum(by_kw.values())
            score += SENTENCE_CAP if SENTENCE_CAP <= total else total
            terms.update(by_kw)
            sentences += 1  # counting the one ``si`` starts
            if enough is not None and (strongest >= DECISIVE or score >= enough and strongest >= 2):
                return score, terms, sentences, strongest
            by_kw = {}
            sentence = si
        if kw in by_kw:
            if w > by_kw[kw]:
                by_kw[kw] = w
        else:
            by_kw[kw] = w if w >= 0.0 else 0.0
        if w > strongest:  # here, not per sentence: no max() call; after the check above, which
            strongest = w  # asks about complete sentences only
    total = sum(by_kw.values())
    score += SENTENCE_CAP if SENTENCE_CAP <= total else total
    terms.update(by_kw)
    return score, terms, sentences, strongest


def _accepted(sentences: list[int], items: list[tuple], threshold: float) -> bool:
    """Whether a theme's evidence from :func:`_theme_hits` is accepted: ``_accept(*_weigh(...))``
    with ``threshold`` the score the text's length asks for, when every weight is plain (a number,
    not negative: see _State.plain_weights), in one loop over the evidence as it is stored.

    As in _weigh, weighing stops at a sentence's end once the evidence is accepted whatever follows.
    A sentence's total is added up as its keywords come, in the order _weigh's dict holds them,
    so the float sum is the same (a keyword seen again with a heavier weight sums the dict again).
    """
    # Most accepted themes (about half of all) are decided by the first and the last piece of
    # evidence alone: a decisive weight, or, when they lie in two sentences, a clear term and the two
    # sentences' capped totals (each at least its piece's weight; weights are not negative, and a
    # float sum of more such terms is no smaller) already reaching the threshold.
    first = items[0][4]
    last = items[-1][4]
    if first >= DECISIVE or last >= DECISIVE:
        return True
    if sentences[0] != sentences[-1] and (first >= 2 or last >= 2) and (
            (SENTENCE_CAP if SENTENCE_CAP <= first else first) + (SENTENCE_CAP if SENTENCE_CAP <= last else last)
            >= threshold):
        return True
    score = strongest = total = 0.0
    sentence = sentences[0]
    by_kw: dict[str, float] = {}
    for si, (_n, _t, _i, _ti, w, kw) in zip(sentences, items):
        if si != sentence:  # the previous sentence is complete
            score += SENTENCE_CAP if SENTENCE_CAP <= total else total
            if strongest >= DECISIVE or score >= threshold and strongest >= 2:
                return True
            sentence = si
            by_kw = {kw: w}
            total = w
        elif kw in by_kw:
            if w > by_kw[kw]:
                by_kw[kw] = w
                total = sum(by_kw.values())
        else:
            by_kw[kw] = w
            total += w
        if w > strongest:
            strongest = w
    if strongest >= DECISIVE:
        return True
    if strongest < 2:
        return False
    score += SENTENCE_CAP if SENTENCE_CAP <= total else total
    if sentence == sentences[0]:
        return len(by_kw) >= SINGLE_SENTENCE_TERMS or len(by_kw) >= 2 and score >= threshold
    return score >= threshold


def score_themes(text: str, *, lang: str) -> dict[str, dict]:
    """Evidence per theme: {id: {"score", "sentences", "terms", "accepted", "spans", "keywords"}}."""
    state = _state()
    out = {}
    for ti, (spans, sentences_, items) in _theme_hits(text, lang).items():
        score, terms, sentences, strongest = _weigh(_evidence(sentences_, items))
        out[state.themes[ti].id] = {
            "score": score, "sentences": sentences, "terms": len(terms),
            "accepted": _accept(score, sentences, len(terms), strongest, len(text)),
            "spans": spans, "keywords": sorted(terms),
        }
    return out


_BY_ID = itemgetter("id")


def find_themes(text: str, *, lang: str) -> list[dict]:
    """Themes substantively discussed: [{"id", "spans": [[s, e], ...]}] sorted by id."""
    state = _state()
    themes = state.themes
    length = len(text)
    enough = THRESHOLD_LONG if length > LONG_DOC else THRESHOLD
    plain = state.plain_weights
    out = []
    for ti, (spans, sentences, items) in _theme_hits(text, lang).items():
        if plain:
            ok = _accepted(sentences, items, enough)
        else:
            score, terms, n_sentences, strongest = _weigh(_evidence(sentences, items), enough)
            ok = _accept(score, n_sentences, len(terms), strongest, length)
        if ok:
            out.append({"id": themes[ti].id, "spans": spans})
    out.sort(key=_BY_ID)  # an itemgetter: no Python call per theme
    return out


