"""Follow-up commitments: forward-looking clauses, who committed, and by when.

A commitment (shared/eval/GUIDELINES.md) is a statement of agreement,
decision, plan, intent, readiness, interest, proposal, invitation, request or
instruction that implies a future action by one or more parties. The rules:

1. **Cues.** A sentence is a candidate when it contains a cue: an agreement
   verb ("agreed to", "decided", "concurred on", "it was agreed", "договорились"),
   an intent or readiness phrase ("intends to", "plans to", "is ready to",
   "expressed readiness/interest in", "reaffirmed their intention to",
   "выразил готовность"), a proposal, invitation, request or instruction
   ("proposed", "invited ... to", "asked", "instructed", "пригласил"), a
   schedule ("is to be held", "scheduled for"), or a future modal ("will";
   "would" only in reported speech: "said the ministry would consult").
2. **Traps.** Not commitments: statements of importance or potential (no cue
   matches them), thanks, what was already done ("signed", "had agreed",
   "agreed by the ministers in 2023", "originally planned"), negated or refused
   cues ("will not", "did not agree"), expectations ("expressed confidence that
   the visit would..."), relative clauses describing a thing ("a cable that
   would carry...", "Switzerland, which will chair..."), the participle "the
   proposed cable", and headlines.
3. **Clause.** From the subject of the cue (after any introductory phrase such
   as "Following the talks,") to the end of the sentence, keeping a reporting
   frame ("Fidan said Türkiye will...") and dropping a trailing attribution
   (", Wang said"). A sentence with two coordinated commitment verbs ("...
   was prepared to back X and confirmed that he will...") gives two clauses;
   the second starts at its verb. Numbered or bulleted items after "agreed:"
   and the lines of an "Action items:" block are one commitment each.
4. **Actors.** The committing side(s): the countries of the subject — a
   collective subject ("the parties", "the sides", "the ministers", "it was
   agreed", "стороны") means every participating country; a country, its
   adjective with "side", its capital ("Tokyo intends"), a named party, a title
   ("the Ambassador") or a pronoun (the last-mentioned party). In reported
   speech the embedded subject wins when it names a country ("Fidan confirmed
   that Ankara and Budapest mean to"), else the speaker. An accepted invitation
   adds the invitee's country. International organisations add no code.
5. **Due.** :func:`store.extract.due.resolve_due` on the clause, anchored on the
   meeting date (else the document date).
"""

from __future__ import annotations

import bisect
import json
import operator
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

try:  # CPython's regex parser (private): only to find the letters a cue can start with
    from re import _constants as _sre
    from re._parser import parse as _sre_parse
except ImportError:  # another Python: every cue is tried at every trigger (same results, slower)
    _sre_parse = None

from store.extract import wordstarts
from store.extract.due import folds_like_lower, resolve_dues
from store.extract.text import ascii_spaced, has_cyrillic, lower_aligned

__all__ = ["find_commitments"]

_DATA = json.loads((Path(__file__).with_name("data") / "commitments.json").read_text(encoding="utf-8"))
_CAPITALS: dict[str, str] = _DATA["capitals"]

_I = re.IGNORECASE

# --- cues ----------------------------------------------------------------------------
# Verb cues start a new clause when coordinated with "and" ("... and invited X to").
_EN_VERB_CUES = [
    r"(?:it\s+was\s+(?:also\s+|further\s+)?(?:agreed|decided)|agreement\s+was\s+(?:also\s+)?reached|"
    r"consensus\s+was\s+reached)",
    r"(?<!is\s)(?<!are\s)(?<!was\s)(?<!were\s)(?<!be\s)(?<!been\s)"
    r"(?:agreed|agree|decided|decide|concurred|resolved|undertook|pledged|vowed|promised|committed(?:\s+themselves)?)"
    r"(?=\s*:|\s+(?:(?:also|further|jointly|unanimously|in\s+principle|firmly)\s+)*(?:to|that|on|upon)\b)",
    r"settled\s+on",
    r"set\s+(?:a|the|an)\s+(?:\w+\s+)?(?:target|goal)",
    r"(?:expressed|expresses|express|reaffirmed|reaffirm|reiterated|confirmed|declared|voiced|stated|signalled|signaled|"
    r"indicated|underlined|emphasi[sz]ed|stressed)\s+(?:\S+\s+){0,4}?(?:readiness|willingness|interest|intention|"
    r"intent|determination|commitment|desire|resolve|plans?|preparedness|eagerness)(?=\s+(?:to|in|for)\b)",
    r"(?<!the\s)(?<!a\s)(?<!its\s)(?<!his\s)(?<!her\s)(?<!their\s)(?:proposed|suggested|offered|propose|suggest|offer)"
    r"(?=\s+(?:to|that|\w+ing|the|a|an|holding|establishing|creating)\b)",
    r"(?:invited|invites|invite)(?=\s)",
    r"(?:asked|asks|requested|requests|urged)(?=\s)",
    r"called\s+(?:on|upon)(?=\s+(?:\S+\s+){1,8}?to\s)",
    r"(?:instructed|instructs|tasked|tasks|told|directed|mandated|entrusted|charged)(?=\s+(?:\S+\s+){0,4}?to\s)",
    r"(?:assured|assures)(?=\s)",
]
# What "is", "are", "was" or "were" is followed by in a cue: "were (also) ready to", "is to be held".
_READY_ADVERBS = ("also", "now", "fully", "firmly", "still")
_READY_WORDS = ("keen", "ready", "prepared", "willing", "determined", "eager", "committed", "poised", "resolved")
_SCHEDULED = (r"to\s+be\s+\w+", r"due\s+to", "scheduled", "planned", "slated", r"set\s+to", r"expected\s+to\s+be\s+held")
# Modal and predicative cues: they belong to the subject before them.
_EN_MODAL_CUES = [
    r"(?:will|shall)(?!\s+not\b|n't)",
    r"(?:intends?|intended|plans?|planned|planning|aims?|aimed|seeks?|means|mean|wants?|wishes|wish|hopes?\s+to\s+host)"
    r"(?=\s+to\b)",
    r"(?:is|are|was|were|'s|remains?|stands?|stood)\s+"
    r"(?:" + "|".join(a + r"\s+" for a in _READY_ADVERBS) + ")?(?:" + "|".join(_READY_WORDS) + r")(?=\s+(?:to|for)\b)",
    r"(?:stands?|stand)\s+ready(?=\s+to\b)",
    r"(?:is|are|was)\s+(?:also\s+)?(?:" + "|".join(_SCHEDULED) + ")",
    r"(?:is|are)\s+to(?=\s+\w+)",
    r"(?:scheduled|planned|slated)\s+(?:for|to)",
    r"plan\s+is\s+to",
    r"would(?!\s+not\b|n't)",
]
_RU_VERB_CUES = [
    r"(?:договорились|договорилась|договорился|условились|согласовали|решили|постановили|"
    r"достигнут[аыо]?\s+(?:также\s+)?(?:договоренност[ьи]|соглашение|понимание)|"
    r"было\s+(?:также\s+)?(?:решено|принято\s+решение|условлено)|приняли\s+решение)",
    r"(?:выразил[аи]?|выражает|выражают|подтвердил[аи]?|подтверждают|подтверждает|заявил[аи]?\s+о)\s+(?:\S+\s+){0,2}?"
    r"(?:готовност[ьи]|заинтересованност[ьи]|интерес|намерени[ея]|желани[ея]|приверженност[ьи]|стремлени[ея])",
    r"(?:пригласил[аи]?|приглашает|приглашают|предложил[аи]?|предлагает|предлагают|попросил[аи]?|просил[аи]?|"
    r"призвал[аи]?|поручил[аи]?|пообещал[аи]?|обещал[аи]?|обязал[аи]?сь|взял[аи]?\s+на\s+себя\s+обязательств[оа])",
]
_RU_MODAL_CUES = [
    r"(?:намерен[аы]?|планиру(?:ет|ют|ется|ются)|запланирован[аоы]?|готов[аы]?|будет|будут|намечен[аоы]?|"
    r"предстоит|примет|примут|посетит|проведет|проведут|состоится|пройдет|пройдут)(?!\w)",
]


def _alt(parts: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in parts)


def _written_in_lower_case(pattern: str) -> bool:
    """Whether a pattern's letters are all lower case (escapes such as \\S aside): a case-insensitive
    match of it in text is then a case-sensitive match in the lower-cased text (see due.folds_like_lower)."""
    return not re.search(r"(?<!\\)[A-ZА-ЯЁ]", pattern.replace("\\\\", ""))


def _cue_regex(verbs: list[str], modals: list[str], tail: str, flags: int = _I) -> re.Pattern:
    # (an empty family never matches, so both groups always exist)
    assert flags & _I or all(_written_in_lower_case(p) for p in verbs + modals)
    return re.compile(rf"(?:(?P<verb>{_alt(verbs) or '(?!)'})|(?P<modal>{_alt(modals) or '(?!)'})){tail}", flags)


# The cue regex of a language is _cue_regex(*_CUE_FAMILIES[lang]); it is tried in parts (below).
_CUE_FAMILIES = {"en": (_EN_VERB_CUES, _EN_MODAL_CUES, r"\b"), "ru": (_RU_VERB_CUES, _RU_MODAL_CUES, "")}


def _first_chars(items: Any) -> frozenset[str] | None:
    """The lower-cased characters a match of the parsed pattern can start with; None when it may start with any."""
    for op, av in items:
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue  # zero width: the next item starts the match
        if op is _sre.LITERAL:
            return frozenset(chr(av).lower())
        if op is _sre.SUBPATTERN:
            return _first_chars(av[-1])
        if op is _sre.BRANCH:
            firsts = [_first_chars(branch) for branch in av[1]]
            return None if None in firsts else frozenset().union(*firsts)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] > 0:
            return _first_chars(av[2])
        return None  # a class, an optional part, ...: anything (the safe answer)
    return None  # may match the empty string


def _starts_of(pattern: str) -> frozenset[str] | None:
    """What ``pattern`` can start with, or None (anything) when its parse cannot be read."""
    if _sre_parse is None:
        return None
    try:
        return _first_chars(_sre_parse(pattern, _I))
    except Exception:  # noqa: BLE001 - a parser that changed shape: fall back to trying every cue
        return None


def _cues_by_first_letter(lang: str, flags: int = _I) -> dict[str, re.Pattern]:
    """For each first letter of a trigger, the cue regex with only the cues that can start with it.

    Same alternatives in the same order, so a match at a position is the whole cue regex's match there;
    a trigger such as "were discussed" then tries three patterns, not thirty.
    """
    verbs, modals, tail = _CUE_FAMILIES[lang]
    firsts = {p: _starts_of(p) for p in verbs + modals}

    def starting(cues: list[str], letter: str) -> list[str]:
        return [p for p in cues if firsts[p] is None or letter in firsts[p]]

    letters = {w[0] for w in _TRIGGERS[lang]}
    return {c: _cue_regex(starting(verbs, c), starting(modals, c), tail, flags) for c in letters}


# The first letters of every cue: an automaton finds these word starts and the cue
# regex is tried only there (a regex scan of every position is ten times slower).
_TRIGGERS = {
    # (each as long as the cues that start so allow: "stated", not "stat", which "statement" and
    # "state" begin; the letters added are none that a case-insensitive regex folds otherwise)
    "en": ("it ", "agreement", "consensus", "agre", "decid", "concurred", "resolved", "undertook", "pledged", "vowed",
           "promised", "committed", "settled", "set ", "express", "reaffirm", "reiterated", "confirmed", "declared",
           "voiced", "stated", "signal", "indicated", "underlin", "emphas", "stressed", "propose", "suggest", "offer",
           "invite", "ask", "request", "urged", "called", "instruct", "task", "told", "directed", "mandated",
           "entrusted", "charged", "assure", "will", "shall", "intend", "plan", "aim", "seek", "mean", "want", "wish",
           "hope", "is ", "are ", "was ", "were ", "remain", "stand", "stood", "scheduled", "slated", "would"),
    "ru": ("договор", "услов", "согласов", "решил", "постанов", "достигнут", "было ", "приняли", "выраз", "подтверд",
           "заяв", "пригла", "предлож", "попрос", "просил", "призвал", "поручил", "пообещ", "обещал", "обязал", "взял",
           "намерен", "планиру", "запланир", "готов", "будет", "будут", "намечен", "предстоит", "примет", "примут",
           "посетит", "проведет", "проведёт", "проведут", "состоится", "пройдет", "пройдёт", "пройдут"),
}
_BEFORE_WORD = " \n\t(«“\"'‘-/—–[\u00a0"
_CUE_BY_LETTER = {lang: _cues_by_first_letter(lang) for lang in _TRIGGERS}
# The same, case-sensitive, for the lower-cased text (the cues are written in lower case).
_CUE_LOWER_BY_LETTER = {lang: _cues_by_first_letter(lang, 0) for lang in _TRIGGERS}


def _left_after(items: Any, prefixes: set[str]) -> set[str]:
    """What may be left of each of prefixes, text that follows, once the parsed pattern items have
    matched its start (or all of it: ""; or the parse cannot tell: "", the safe answer). An empty
    set when the items can match no text that starts with one of prefixes."""
    for op, av in items:
        if not prefixes or "" in prefixes:
            break
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue  # zero width: as if absent (it may only fail a match the rest allows)
        if op is _sre.LITERAL:
            prefixes = {p[1:] for p in prefixes if p[0] == chr(av)}
        elif op is _sre.SUBPATTERN:
            prefixes = _left_after(av[-1], prefixes)
        elif op is _sre.BRANCH:
            prefixes = set().union(*(_left_after(branch, prefixes) for branch in av[1]))
        else:
            return {""}  # a class, a repeat, ...: it may match anything
    return prefixes


def _cues_by_trigger(lang: str) -> dict[str, re.Pattern]:
    """For each trigger, the case-sensitive cue regex (for the lowered text) with only the cues a
    match of which may be read in a text that starts with the trigger's word: at a place where the lowered text spells the
    trigger (the only places it is tried at), the others cannot match, and the rest keep their order,
    so its match there is _CUE_LOWER_BY_LETTER's. Fewer alternatives to try: "were also on the
    agenda" tries the one cue of "were", not "will", "wants", "would" too."""
    if _sre_parse is None:
        return {w: _CUE_LOWER_BY_LETTER[lang][w[0]] for w in _TRIGGERS[lang]}
    verbs, modals, tail = _CUE_FAMILIES[lang]
    parsed = {p: _sre_parse(p, 0) for p in verbs + modals}

    def starting(cues: list[str], word: str) -> list[str]:
        # (a pattern that turns case-insensitive inline keeps its place: its literals are not the text's)
        return [p for p in cues if parsed[p].state.flags & re.IGNORECASE or _left_after(parsed[p], {word})]

    return {w: _cue_regex(starting(verbs, w.rstrip(" ")), starting(modals, w.rstrip(" ")), tail, 0)
            for w in _TRIGGERS[lang]}


_CUE_LOWER_BY_TRIGGER = {"en": _cues_by_trigger("en")}  # (the shared walk, which uses it, is for English)


# Every _ACTION_HEAD match holds one of these words. The cue automaton finds them too (anywhere:
# more characters before a word make the automaton slower), so the heading regex runs only on
# text that may hold one.
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_ACTION_HEAD_WORDS = ("action", "follow", "steps", "to-do", "поручения", "дальнейшие") + tuple(
    "to" + ws + "do" for ws in _WHITESPACE)
# Likewise every _INVITE_ACCEPTED match holds one of these.
_ACCEPTANCE_WORDS = ("accept", "принят", "принял")
# What the automaton reports besides cue triggers: which of these word lists the text holds.
_HEADING, _ACCEPTANCE = "heading", "acceptance"


# The automaton walks the lowered text with every other _BEFORE_WORD character made a space
# (same offsets), so a key needs one form, after a space, instead of one per character that may
# precede a word: the root then has a few branches to search at each character, not a dozen (the
# walk takes half the time). A trigger's trailing space then also stands for "(", "-", ...: the
# cue regex, which wants whitespace there, decides, as it does at every trigger.
_MADE_SPACE = tuple(c for c in _BEFORE_WORD if c != " ")


def _spaced(low: str) -> str:
    """low with every _MADE_SPACE character replaced by a space."""
    for c in _MADE_SPACE:
        low = low.replace(c, " ")
    return low


def _automaton(words: Iterable[str], cue_re: dict[str, re.Pattern]) -> Any:
    """The triggers of a language (each value: the trigger's length and the match method of the
    cue regex for its first letter) and the flag words (each value: the length and the flag)."""
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(" " + w, (len(w), cue_re[w[0]].match))
    for flag, flag_words in ((_HEADING, _ACTION_HEAD_WORDS), (_ACCEPTANCE, _ACCEPTANCE_WORDS)):
        for w in {_spaced(w) for w in flag_words}:
            auto.add_word(w, (len(w), flag))
    auto.make_automaton()
    return auto


# By language, then by folds_like_lower(text): the cue regexes for the lowered text or for the text.
_TRIGGER_AUTO = {lang: {True: _automaton(words, _CUE_LOWER_BY_LETTER[lang]), False: _automaton(words, _CUE_BY_LETTER[lang])}
                 for lang, words in _TRIGGERS.items()}


# The words that can follow a trigger of one short word in a cue, after whitespace: "were" only
# begins "were (also) ready to", "it" only "it was agreed". The shared walk looks for the trigger
# with the start of such a word after it, so that "were discussed" is no hit to try the cue regex on.
_AUX_FOLLOWERS = _READY_ADVERBS + _READY_WORDS + _SCHEDULED + ("to",)  # "is to", "are to"
# "were" only begins "were (also) ready to" (no "were to", "were scheduled"): its followers are the
# ready words, alone or after an adverb, so that "were also on the agenda" is no hit either.
_WERE_FOLLOWERS = _READY_WORDS + tuple(f"{a} {r}" for a in _READY_ADVERBS for r in _READY_WORDS)
# "it" only begins "it was (also|further) agreed|decided": "it was emphasised" is no hit.
_IT_FOLLOWERS = tuple(f"was {a}{v}" for a in ("", "also ", "further ") for v in ("agreed", "decided"))
_NEXT_WORDS = {"is ": _AUX_FOLLOWERS, "are ": _AUX_FOLLOWERS, "was ": _AUX_FOLLOWERS, "were ": _WERE_FOLLOWERS,
               "it ": _IT_FOLLOWERS}
_LETTERS_OPENING = re.compile(r"[a-z]{1,3}")  # the first letters of a follower (a word's start, spelled out)


def _trigger_keys(w: str) -> list[str]:
    """The keys of the shared walk for the trigger w (spelled as ascii_spaced spells it).

    A trigger of _NEXT_WORDS: one key for the first letters (up to three) of each word that can
    follow it, and one with a second space. A cue match has whitespace after the trigger's word,
    then the follower: where one whitespace character comes before it, the spaced text spells the
    trigger and the follower's first letters (as the lowered text does: its ASCII letters are the
    spaced text's); where more come (or a character spaced() makes a space), the trigger and a
    second space. So every place the trigger's own key finds and a cue can match at is found.
    A follower of several words ("also ready") likewise: its words with a space between and the
    last one's first letters; or the words before a gap and a second space there.
    """
    key = ascii_spaced(w)
    if w not in _NEXT_WORDS:
        return [key]
    starts = set()
    for f in _NEXT_WORDS[w]:
        words = f.split(" ")
        for i in range(1, len(words)):
            starts.add(" ".join(words[:i]) + "  ")
        starts.add(" ".join(words[:-1] + [_LETTERS_OPENING.match(words[-1]).group()]))
    starts = sorted(starts)
    # (none the start of another: a place would be found twice)
    starts = [a for a in starts if not any(a != b and a.startswith(b) for b in starts)]
    return [key + a for a in starts] + [key + " "]


def _word_start_keys() -> list[tuple[str, tuple[int, Any, str]]]:
    """The English triggers and flag words as keys of the walk the modules share (see
    store.extract.wordstarts and _cues_at_word_starts): each spelled with every character but
    letters and digits a space, after a space. A flag word is then found only at a word start,
    which is where it stands in every match of the regex it gates (after whitespace or a word
    boundary). Each trigger's value: the length of its key less the space in front, the match
    method of its case-sensitive cue regex (for the lowered text) and the trigger, which the
    lowered text must spell ("it " and "is " with a _BEFORE_WORD character for the space)."""
    keys = [(key, (len(key) - 1, _CUE_LOWER_BY_TRIGGER["en"][w].match, w))
            for w in _TRIGGERS["en"] for key in _trigger_keys(w)]
    for flag, words, gated in ((_HEADING, ("action", "follow", "steps", "to do"), _ACTION_HEAD_WORDS),
                               (_ACCEPTANCE, ("accept",), _ACCEPTANCE_WORDS)):
        assert all(any(w.replace(" ", "-") in g or w in g for g in gated) for w in words)
        keys += [(" " + w, (len(w), flag, w)) for w in words]
    return keys


wordstarts.register("commitment cues", _word_start_keys)
_WORD_START_AFTER = frozenset(_BEFORE_WORD)


def _cues_at_word_starts(text: str, low: str, folds: bool = True) -> tuple[list[re.Match], set[str]]:
    """_cues_in_spaced_low for English text without Cyrillic or "İ", from the walk the modules share:
    a trigger counts where the lowered text spells it after a _BEFORE_WORD character, as in
    _cues_in_spaced_low's walk.

    folds is folds_like_lower(text). Where it is False (a "Yılmaz" somewhere), the cue regex runs
    case-insensitively on text, as _cues_in_spaced_low runs it there. The walk still finds every
    place that walk finds: those are where the lowered text spells a trigger, whose key the walk
    (over plain(text)) then spells too; and where the walk also wants the start of the word after
    "is", "were", "it" ..., plain() spells each character a case-insensitive regex takes for an ASCII
    letter as that letter ("ı" as "i", "ſ" as "s"), "İ" ("I") alone aside, which _find_cues leaves to
    the other walk (checked over all of Unicode in the tests). The flags are then only those found
    at a word start: find_commitments does not read them in such a text.
    """
    found: list[re.Match] = []
    flags: set[str] = set()
    any_case = None if folds else _CUE_BY_LETTER["en"]
    for end, (n, match, w) in wordstarts.hits(text, "commitment cues"):
        if type(match) is str:  # a flag word, after any character but a letter or digit
            flags.add(match)
            continue
        s = end - n
        if s and low[s - 1] not in _WORD_START_AFTER:
            continue  # after "," or "\u2003", say
        if w[-1] == " ":
            if not (low.startswith(w[:-1], s) and low[s + len(w) - 1] in _WORD_START_AFTER):
                continue
        elif not low.startswith(w, s):
            continue  # "agrée" is "agree" in the walked text
        m = match(low, s) if any_case is None else any_case[w[0]].match(text, s)
        if m:
            found.append(m)
    return found, flags


def _cues_in_spaced_low(text: str, low: str, folds: bool, lang: str) -> tuple[list[re.Match], set[str]]:
    """Every cue match where a trigger starts, unsorted and perhaps overlapping; and the flags."""
    target = low if folds else text
    found: list[re.Match] = []
    flags: set[str] = set()
    for end, (n, match) in _TRIGGER_AUTO[lang][folds].iter(_spaced(" " + low)):
        if type(match) is str:  # a flag word
            flags.add(match)
            continue
        # (the walked text is shifted by one: end - n is the word's offset in text; two triggers
        # at one start, "agre" and "agreement", give the same match twice: the overlap filter
        # of _find_cues keeps one)
        m = match(target, end - n)
        if m:
            found.append(m)
    return found, flags


def _find_cues(text: str, low: str, folds: bool, lang: str) -> tuple[list[re.Match], set[str]]:
    """Every cue in the text, leftmost-longest and non-overlapping, in order; and which word
    lists the lower-cased text holds a word of (_HEADING: an action-list heading, _ACCEPTANCE).

    low is lower_aligned(text); folds is folds_like_lower(text).
    """
    # Where letters fold like lower() (nearly always), the case-sensitive cue regexes on the
    # lowered text find the same cues at the same offsets, faster; the cue's own words are then
    # lower-cased, which the checks that read them (all case-insensitive) do not mind. English text
    # whose letters do not (a "Yılmaz") takes its places from the shared walk too, unless it holds
    # an "İ" (see _cues_at_word_starts).
    if lang == "en" and not has_cyrillic(text) and (folds or "\u0130" not in text):
        found, flags = _cues_at_word_starts(text, low, folds)
    else:
        found, flags = _cues_in_spaced_low(text, low, folds, lang)
    return _leftmost_longest(found), flags


def _leftmost_longest(found: list[re.Match]) -> list[re.Match]:
    """The matches that are leftmost-longest and do not overlap, in order."""
    # The walk mostly reports matches with their starts rising, which is then their order by
    # (start, -end): they are kept as they come, without a sort (a key call a match).
    out: list[re.Match] = []
    last_start = last_end = -1
    for m in found:
        start = m.start()
        if start <= last_start:
            break  # out of order, or two at one start: sort them all (below)
        last_start = start
        if start >= last_end:
            out.append(m)
            last_end = m.end()
    else:
        return out
    found.sort(key=lambda m: (m.start(), -m.end()))
    out = []
    last_end = -1
    for m in found:
        if m.start() >= last_end:
            out.append(m)
            last_end = m.end()
    return out

# Reporting verbs: transparent frames between a speaker and what they report.
_REPORT = {
    "en": re.compile(
        r"\b(?:said|says|stated|states|noted|notes|confirmed|confirms|announced|announces|stressed|emphasi[sz]ed|"
        r"underlined|added|explained|indicated|informed|told|assured|reaffirmed|reiterated|declared|affirmed|"
        r"replied|highlighted|pointed\s+out|made\s+clear|recalled|mentioned|agreed|concurred|clarified)"
        r"(?:\s+(?:him|her|them|his\s+\w+|her\s+\w+|the\s+\w+(?:\s+side)?|[A-Z][\w'-]+))??(?:\s+that)?\s*$", _I),
    "ru": re.compile(r"(?:сообщил[аи]?|заявил[аи]?|отметил[аи]?|подчеркнул[аи]?|подтвердил[аи]?|сказал[аи]?|"
                     r"указал[аи]?|добавил[аи]?)(?:,\s*|\s+)(?:что\s+)?$", _I),
}

# Contexts that cancel a cue.
_NEGATION = {
    "en": re.compile(r"\b(?:not|never|no\s+longer|n't|neither|nor|refused|declined|rejected)\s+(?:\w+\s+){0,1}$", _I),
    "ru": re.compile(r"(?<!\w)(?:не|ни|отказал[аи]?сь)\s+$", _I),
}
_PAST = {
    "en": re.compile(r"\b(?:had|originally|previously|earlier|already|initially)\s+(?:\w+\s+){0,2}$", _I),
    "ru": re.compile(r"(?<!\w)(?:ранее|уже|первоначально)\s+(?:\w+\s+){0,1}$", _I),
}
_EXPECTATION = {
    "en": re.compile(r"\b(?:confiden(?:ce|t)|hopes?|hoped|hopeful|conviction|convinced|belie(?:f|ve|ves|ved)|"
                     r"expect(?:s|ed|ation)?|trust(?:s|ed)?|optimism|optimistic|forecast|predicted|likely|"
                     r"possible|could|might|suggests?|suggested|signal(?:s|led)?|indicates?)\b", _I),
    "ru": re.compile(r"(?<!\w)(?:уверенност\w*|уверен\w*|надежд\w*|надеется|надеются|ожида\w+|прогноз\w*)", _I),
}
_RELATIVE = {
    "en": re.compile(r"\b(?:that|which|who|whom|where|when|what|whose\s+\w+)\s+(?:\w+ly\s+)?$", _I),
    "ru": re.compile(r"(?<!\w)(?:котор\w+|где|когда)\s+(?:\S+\s+){0,1}$", _I),
}


class _AnyCase:
    """A case-insensitive pattern written in lower case, run case-sensitively on lower-cased text
    when the text's letters fold like lower() (see due.folds_like_lower): same answer, about twice
    as fast (no case folding per character, and alternatives are rejected on their first letter)."""

    def __init__(self, pattern: re.Pattern) -> None:
        assert pattern.flags & re.IGNORECASE and _written_in_lower_case(pattern.pattern)
        self.any_case = pattern
        self.lower_case = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)

    def search(self, s: str, folds: bool) -> re.Match | None:
        """pattern.search(s), the match in s.lower() when folds (callers only ask whether there is one).

        folds is folds_like_lower of the text s is taken from; where it is False, s itself (a few
        words before a cue, a subject) mostly has none of the odd letters, and folds alike."""
        return self.lower_case.search(s.lower()) if folds or folds_like_lower(s) else self.any_case.search(s)


# Negated ("will not", "did not agree") or past ("had agreed") cues, right before the cue.
_CANCELLING = {lang: _AnyCase(re.compile(f"(?:{_NEGATION[lang].pattern})|(?:{_PAST[lang].pattern})", _I))
               for lang in ("en", "ru")}
_RELATIVE_ANY_CASE = {lang: _AnyCase(p) for lang, p in _RELATIVE.items()}
_EXPECTATION_ANY_CASE = {lang: _AnyCase(p) for lang, p in _EXPECTATION.items()}

# Clause starts after an introductory phrase: "Following the talks, the parties agreed".
_INTRO = {
    "en": re.compile(
        r"^(?:at|following|in|during|on|after|concluding|having|reviewing|recognizing|recognising|noting|discussing|"
        r"welcoming|as|under|within|for|according|turning|building|given|against|opening|summing|also|furthermore|"
        r"moreover|additionally|meanwhile|separately|finally|lastly|later|earlier|today|by|with|through|to|upon|"
        r"before|ahead|besides|regarding|speaking|responding|addressing|citing|referring|stressing|emphasizing|"
        r"taking|looking|in\s+addition|in\s+this\s+context|at\s+the\s+same\s+time|for\s+(?:his|her|their)\s+part|"
        r"on\s+the\s+\w+\s+track|particular|special|considerable|of\s+note|wrapping|closing|ending|over|across|"
        r"into|beyond|despite|amid|while|once|if|when|since)\b", _I),
    "ru": re.compile(
        r"^(?:по|в|во|на|после|при|с|со|для|кроме|также|вместе|особое|отдельно|завершая|подводя|обсуждая|"
        r"отметив|рассмотрев|как|исходя|учитывая|в\s+свою\s+очередь|в\s+частности|в\s+этой\s+связи|"
        r"в\s+завершение|по\s+итогам|в\s+ходе)(?!\w)", _I),
}
# A heading: a short line without sentence-final punctuation.
_HEADING_MAX = 160

_COLLECTIVE = {
    "en": re.compile(
        r"\b(?:(?:the\s+)?(?:both|two|three|four|five|six|all)\s+(?:sides|parties|countries|governments|ministers|leaders|"
        r"presidents|delegations|heads|states|foreign\s+ministers|prime\s+ministers|co-?chairs|nations)|"
        r"both\s+sides|both|the\s+(?:sides|parties|ministers|leaders|delegations|interlocutors|participants|co-?chairs|"
        r"presidents|heads\s+of\s+state|governments|diplomats|officials|countries|signatories|negotiators|"
        r"heads\s+of\s+(?:delegation|government)s?|foreign\s+ministers|prime\s+ministers|chairs|counterparts|"
        r"two|three|states)|they|we|agreement|consensus|sides|parties|ministers|leaders|participants|delegations|"
        r"interlocutors|co-?chairs|presidents|negotiators)\b", _I),
    "ru": re.compile(
        r"(?<!\w)(?:стороны|сторонами|собеседники|министры|главы|участники|делегации|лидеры|президенты|"
        r"обе\s+стороны|две\s+страны|мы|было|достигнут\w*|договорились|условились|согласовали|решили)(?!\w)", _I),
}
_COLLECTIVE_ANY_CASE = {lang: _AnyCase(p) for lang, p in _COLLECTIVE.items()}
_PRONOUN = {
    "en": re.compile(r"\b(?:he|she|his|her|it)\b", _I),
    "ru": re.compile(r"(?<!\w)(?:он|она|его|ее|её)(?!\w)", _I),
}
_AUTHOR = {
    "en": re.compile(r"\b(?:we|our|the\s+embassy|embassy|this\s+(?:embassy|mission)|the\s+mission|trade\s+section|"
                     r"political\s+section|the\s+section)\b", _I),
    "ru": re.compile(r"(?<!\w)(?:мы|наш\w*|посольство)(?!\w)", _I),
}
_EMBASSY_OF = re.compile(r"\b(?:Embassy|Mission|Consulate(?:\s+General)?)\s+of\s+(?:the\s+)?", re.UNICODE)
_INVITE_ACCEPTED = re.compile(r"\b(?:invitation\s+was\s+(?:gratefully\s+|readily\s+)?accepted|accepted\s+the\s+invitation|"
                              r"приглашение\s+было\s+принято|принял[аи]?\s+приглашение)\b", _I)
_NAME_PARTICLES = {"bin", "ibn", "bint", "al", "el", "da", "de", "di", "do", "dos", "das", "van", "von", "der", "den",
                   "la", "le", "del", "mr", "mrs", "ms", "dr", "his", "her", "highness", "excellency", "h.e", "sheikh",
                   "prince", "jr", "sr", "ii", "iii"}
# An analyst's comment in a cable or memo is not what the meeting agreed.
_COMMENT = re.compile(r"(?:^|\n)[ \t]*(?:\d+\.\s*)?COMMENT\s*:.*?(?:END\s+COMMENT\.?|\n\s*\n|\Z)|\(\s*Comment\s*:[^)]*\)",
                      re.S)
_INSTRUCTION = re.compile(r"(?:instructed|instructs|tasked|tasks|told|directed|mandated|entrusted|charged|поручил\w*)$", _I)
_SCHEDULE = re.compile(r"(?:the\s+)?plan\s+is|(?:is|are|was)\s+(?:also\s+)?(?:to\s+be|due|scheduled|planned|slated|set|expected)|"
                       r"(?:is|are)\s+to$|scheduled|planned|slated|to\s+be\s+|запланирован|намечен|состоится|пройд|предстоит|"
                       r"планируется|планируются", _I)
_TITLE_WORDS = ("ambassador", "minister", "president", "secretary", "chancellor", "commissioner", "governor",
                "chairman", "chair", "director", "prosecutor", "vice minister", "deputy minister", "head of state",
                "посол", "министр", "президент", "председатель", "заместитель", "глава")
_TITLE_ALIASES = {"head of state": ("president", "head of state", "king", "emir", "amir"),
                  "глава государства": ("президент",), "vm": ("vice minister", "deputy minister"),
                  "dpm": ("deputy prime minister",), "fm": ("foreign", "minister of foreign affairs")}

_TITLE_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(
    set(_TITLE_WORDS) | set(_TITLE_ALIASES), key=len, reverse=True)) + r")(?=\w*)")

# Blocks whose lines are each a commitment.
_ACTION_HEAD = re.compile(r"^\s*(?:action\s+(?:items|points)|follow[-\s]?up(?:\s+actions)?|next\s+steps|to[-\s]do|"
                          r"agreed\s+actions|поручения|дальнейшие\s+шаги)\s*:?\s*$", _I | re.M)
# The same after a line break: a pattern that opens with a literal is searched for it at C speed,
# where "^" (re.M) has the regex tried at every character.
_ACTION_HEAD_AFTER_NEWLINE = re.compile("\n" + _ACTION_HEAD.pattern[1:], _ACTION_HEAD.flags)
_BULLET = re.compile(r"^\s*(?:[-•*\u2022–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.M)
_ITEM_OWNER = re.compile(r"^(?P<owner>[^:\n]{1,80}?)\s*(?::|\s+[-–—]\s+)\s*(?P<rest>\S.*)$")
_ITEM_TO = re.compile(r"^(?P<owner>.{1,80}?)\s+to\s+(?=[a-z])", re.UNICODE)

_TRAIL_ATTRIBUTION = {
    "en": re.compile(r",\s+(?:(?:[A-Z][\w.'-]*|the|of)\s+){0,5}(?:[A-Z][\w.'-]*|he|she|they|officials)\s+(?:said|added|noted|"
                     r"stressed|told\s+\w+|explained)\b.*$|,\s+adding\s+that\b.*$|,\s+according\s+to\b.*$", re.S),
    "ru": re.compile(r",?\s+[-–—]\s+(?:сказал|отметил|заявил|подчеркнул|сообщил)\w*\b.*$|,\s+(?:сообщил|отметил|заявил)\w*\s+.*$",
                     re.S | _I),
}
# Coordination that starts a second clause: "... and agreed to", ", and invited".
_COORD = {"en": re.compile(r"(?:,\s*|\s+)(?:and|but|while)\s+(?:also\s+|further\s+|then\s+|later\s+|jointly\s+)?$", _I),
          "ru": re.compile(r"(?:,\s*|\s+)(?:и|а|но)\s+(?:также\s+)?$", _I)}
_CLAUSE_BOUNDARY = {
    "en": re.compile(r"(?:[,;:(]|\s[-–—]\s|\bthat\b|\bwhich\b|\bwhile\b|\bwhereas\b|\bbut\b|\band\b)", _I),
    "ru": re.compile(r"(?:[,;:(]|\s[-–—]\s|(?<!\w)(?:что|чтобы|и|а|но)(?!\w))", _I),
}


_ONLY_CAPITALS = re.compile(r"^\s*(?:(?:the\s+)?(?:[A-ZА-Я][\w'’-]*(?:\s+[A-ZА-Я][\w'’-]*)?)(?:\s*,\s*|\s+(?:and|и)\s+|\s+also\s+|\s*$))+$")


_CAPITALS_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(_CAPITALS, key=len, reverse=True))
                          + r")(?!\w)")


def _capitals_in(text: str) -> list[str]:
    return [_CAPITALS[m.group(0)] for m in _CAPITALS_RE.finditer(text)]


@lru_cache(maxsize=4096)
def _words_of_name(name: str, lang: str) -> tuple[str, ...]:
    """The words that may stand for a party of this name: the name and the words of it (not particles)."""
    keys = [name] if name else []
    for part in name.replace(",", " ").split():  # (the words between runs of [\s,])
        part = part.strip(".")
        if len(part) < 3 or part.lower() in _NAME_PARTICLES or not part[:1].isupper():
            continue
        keys.append(part)
        if lang == "ru" and len(part) > 5:
            keys.append(part[:-2])  # a Russian name's stem: Кошербаев/Кошербаевым
    return tuple(keys)


def _name_keys(parties: list[dict], lang: str) -> list[tuple[str, int]]:
    """The words that stand for one party each (see _words_of_name), with the party's index."""
    owner_of: dict[str, int] = {}  # each key's party, or -1 when two parties share it
    for i, p in enumerate(parties):
        for key in _words_of_name((p.get("name") or "").strip(), lang):
            owner_of[key] = i if owner_of.get(key, i) == i else -1
    if -1 not in owner_of.values():  # (mostly no key is shared: no comprehension, which is a call)
        return list(owner_of.items())
    return [(key, i) for key, i in owner_of.items() if i >= 0]


_START = operator.itemgetter(1)  # a country mention's start: (code, start, end, ...)
_FIRST = operator.itemgetter(0)  # a party span's start: (start, end, party index)


class _Ctx:
    """Per-document facts the actor rules need."""

    def __init__(self, text: str, mentions: list, parties: list[dict], lang: str, folds: bool) -> None:
        self.text = text
        self.lang = lang
        self.folds = folds  # folds_like_lower(text)
        # Whether _INVITE_ACCEPTED may match somewhere (set once the cues are found).
        self.may_accept_invitation = True
        self.mentions = mentions  # (code, start, end, ...) each
        # The mentions by start: those inside a span are then found by binary search.
        self.mentions_by_start = sorted(mentions, key=_START)
        self.mention_starts = list(map(_START, self.mentions_by_start))
        self.parties = parties
        # The parties' countries; and where a party is named: the spans given, and any word of
        # the name that stands for them ("Lula", "Park", "Kulubaev"), unless two parties share it.
        # (one loop over the parties for both, not two comprehensions: each is a call)
        codes: set[str] = set()
        given: list[tuple[int, int, int]] = []
        for i, p in enumerate(parties):
            country = p.get("country")
            if country:
                codes.add(country)
            for sp in p.get("spans") or ():
                given.append((sp[0], sp[1], i))
        self.all_codes = sorted(codes)
        given.sort()
        self.given_spans = given
        self.given_starts = list(map(_FIRST, self.given_spans))  # (for a binary search)
        self.name_keys = _name_keys(parties, lang)
        # Every such place in the text, sorted (start, end, party index): found when first needed,
        # as most documents only ask which parties a few short subjects name (parties_in).
        self._party_spans: list[tuple[int, int, int]] | None = None
        self._party_starts: list[int] = []
        self.author: list[str] | None = None

    def author_codes(self) -> list[str]:
        if self.author is None:
            self.author = []
            m = _EMBASSY_OF.search(self.text)
            if m:
                codes = [mention[0] for mention in self.mentions if m.end() <= mention[1] <= m.end() + 40]
                if codes:
                    self.author = [codes[0]]
            if not self.author and self.parties:
                first = min(self.party_spans, key=lambda t: t[0], default=None)
                if first is not None and self.parties[first[2]].get("country"):
                    self.author = [self.parties[first[2]]["country"]]
        return self.author

    def country_codes_in(self, s: int, e: int) -> list[str]:
        """The codes of the country mentions inside text[s:e]."""
        mentions = self.mentions_by_start
        lo = bisect.bisect_left(self.mention_starts, s)
        hi = bisect.bisect_right(self.mention_starts, e, lo)  # (a mention starting after e cannot end by e)
        if lo == hi:
            return []  # the commonest subject, "The sides", names no country
        return [m[0] for m in mentions[lo:hi] if m[2] <= e]

    @property
    def party_spans(self) -> list[tuple[int, int, int]]:
        """Every place a party is named, sorted (start, end, party index)."""
        if self._party_spans is None:
            spans = self.given_spans + self._named_in(0, len(self.text))
            spans.sort()
            self._party_spans = spans
            self._party_starts = [ps for ps, _pe, _i in spans]
        return self._party_spans

    def _named_in(self, s: int, e: int) -> list[tuple[int, int, int]]:
        """The places inside text[s:e] where a word of a party's name (a key) stands alone on its left."""
        text = self.text
        span = text[s:e]
        out = []
        # (most spans, a subject, name no party: one test a key, then the places of the few found)
        for key, i in self.name_keys:
            if key not in span:
                continue
            pos = text.find(key, s, e)
            while pos >= 0:
                if pos == 0 or not text[pos - 1].isalnum():
                    out.append((pos, pos + len(key), i))
                pos = text.find(key, pos + 1, e)
        return out

    def parties_in(self, s: int, e: int) -> list[int]:
        """The parties named inside text[s:e] (a span starting in [s, e] and ending by e), in text order."""
        if self._party_spans is not None:
            spans = self._party_spans
            lo = bisect.bisect_left(self._party_starts, s)
            hi = bisect.bisect_right(self._party_starts, e, lo)
            return [i for _ps, pe, i in spans[lo:hi] if pe <= e]
        # Without the whole text's spans, look in the subject only (a few characters).
        lo = bisect.bisect_left(self.given_starts, s)
        hi = bisect.bisect_right(self.given_starts, e, lo)
        spans = self._named_in(s, e)
        if lo == hi and not spans:
            return []  # the commonest subject, "The sides", names no party
        spans += [span for span in self.given_spans[lo:hi] if span[1] <= e]
        spans.sort()
        return [i for _ps, _pe, i in spans]

    def last_party_before(self, pos: int, only: Iterable[int] | None = None) -> int | None:
        allowed = set(only) if only is not None else None
        best = None
        for ps, _pe, i in self.party_spans:
            if ps >= pos:
                break
            if allowed is None or i in allowed:
                best = i
        return best

    def titled(self, phrase: str) -> list[int]:
        """Parties whose role matches a bare title in phrase ("the Ambassador", "Посол")."""
        low = phrase.lower()
        wanted: list[str] = []
        for m in _TITLE_RE.finditer(low):
            word = m.group(0)
            wanted.extend(_TITLE_ALIASES.get(word, (word,)))
        if not wanted:
            return []
        hits = [i for i, p in enumerate(self.parties) if any(w in (p.get("role") or "").lower() for w in wanted)]
        # "The President" is the party whose role is just that, not "President of the European Commission".
        exact = [i for i in hits if (self.parties[i].get("role") or "").lower().strip() in wanted]
        return exact or hits


class _SubjectWords(NamedTuple):
    """What the actor rules read from a subject's own words, whatever the document."""
    capitals: tuple[str, ...]  # the countries of the capitals, when the subject is only capitals ("Astana and Tokyo")
    collective: bool  # _COLLECTIVE: "the sides", "both parties"
    we: bool  # _WE
    author: bool  # _AUTHOR
    last_frame: tuple[int, int] | None  # the span of the last _FRAME match (a reporting verb)


# The longest subject (or text before a cue) whose facts are cached: most are short ("The sides").
_SHORT_SUBJECT = 80


def _subject_words(subject: str, lang: str, folds: bool) -> _SubjectWords:
    """The facts of a subject (or of the text before a cue; folds: folds_like_lower of the text):
    a few regexes, once per distinct short subject instead of once per commitment; most
    commitments have one of a few."""
    if len(subject) > _SHORT_SUBJECT:
        return _read_subject(subject, lang, folds)
    return _read_short_subject(subject, lang, folds)


def _read_subject(subject: str, lang: str, folds: bool) -> _SubjectWords:
    frame = None
    for frame in _FRAME[lang].finditer(subject):
        pass
    return _SubjectWords(
        capitals=tuple(_capitals_in(subject)) if _ONLY_CAPITALS.match(subject) else (),
        collective=_COLLECTIVE_ANY_CASE[lang].search(subject, folds) is not None, we=_WE.search(subject) is not None,
        author=_AUTHOR[lang].search(subject) is not None, last_frame=frame.span() if frame else None)


_read_short_subject = lru_cache(maxsize=4096)(_read_subject)


def _resolve(ctx: _Ctx, s: int, e: int, *, at: int, words: _SubjectWords | None = None) -> tuple[list[str], str]:
    """Countries of the subject text[s:e]; kind is how they were found (for precedence).
    words: _subject_words of text[s:e], when the caller has it already."""
    span = ctx.text[s:e]
    if not span.strip():
        return [], "none"
    lang = ctx.lang
    if words is None:
        words = _subject_words(span, lang, ctx.folds)
    codes = ctx.country_codes_in(s, e)
    parties = ctx.parties_in(s, e)
    if parties:
        codes += [ctx.parties[i]["country"] for i in parties if ctx.parties[i].get("country")]
    codes += words.capitals
    if codes:
        return sorted(set(codes)), "named"
    if parties:
        return [], "organisation"  # a named party without a state: an international official
    if words.collective:
        if words.we:
            return ctx.author_codes(), "author"
        return list(ctx.all_codes), "collective"
    if words.author:
        return ctx.author_codes(), "author"
    titled = ctx.titled(span)
    if len(titled) > 1 and _AND.search(span):
        # "The Secretary and the External Affairs Minister": both titles
        return sorted({ctx.parties[i]["country"] for i in titled if ctx.parties[i].get("country")}), "title"
    if titled:
        i = ctx.last_party_before(at, titled)
        if i is None:
            i = titled[0]
        c = ctx.parties[i].get("country")
        return ([c] if c else []), "title"
    if _PRONOUN[lang].search(span):
        i = ctx.last_party_before(at)
        if i is not None:
            c = ctx.parties[i].get("country")
            return ([c] if c else []), "pronoun"
    return [], "none"


def _subject_start(text: str, lo: int, cue: int, lang: str) -> int:
    """Where the subject of the cue at `cue` begins, scanning back no further than lo."""
    prefix = text[lo:cue]
    best = 0
    for m in _CLAUSE_BOUNDARY[lang].finditer(prefix):
        word = m.group(0).strip().lower()
        if word in ("and", "и"):
            # "Szijjártó and Bayraktar decided", "Kazakhstan and Japan will": names joined, not clauses.
            before = prefix[: m.start()].rstrip()
            after = prefix[m.end():].lstrip()
            prev_word = before.split()[-1] if before.split() else ""
            if not before.endswith(",") and (prev_word[:1].isupper() or prev_word.lower() in ("side", "sides", "сторона")) and (
                    after[:1].isupper() or after.lower().startswith(("the ", "his ", "her "))):
                continue
        if word in ("that", "which") and not prefix[m.end():].strip():
            continue
        best = m.end()
    return lo + best


def _strip_intro(text: str, s: int, cue: int, lang: str) -> int:
    """Skip introductory phrases ending in a comma before the cue."""
    for _ in range(4):
        seg = text[s:cue]
        comma = seg.find(",")
        if comma < 0 or not _INTRO[lang].match(seg.lstrip()):
            break
        s = s + comma + 1
        while s < cue and text[s].isspace():
            s += 1
    return s


def _subject_begins(text: str, lo: int, cue: int, lang: str) -> int:
    """Where the subject of the cue at `cue` begins (no further back than lo), introductory phrases skipped."""
    if cue - lo > _SHORT_SUBJECT:
        return _strip_intro(text, _subject_start(text, lo, cue, lang), cue, lang)
    return lo + _subject_offset(text[lo:cue], lang)


@lru_cache(maxsize=4096)
def _subject_offset(prefix: str, lang: str) -> int:
    """_subject_begins on the text before the cue alone, which is all it reads: once per distinct prefix."""
    return _strip_intro(prefix, _subject_start(prefix, 0, len(prefix), lang), len(prefix), lang)


_AFTER_CONJ = re.compile(r"(?<!\w)(?:and|but|while|и|а|но)\s*$", _I)
_LEAD_CONJ = re.compile(r"(?:and|but|while|и|а|но)\s+", _I)
_AGREEING = re.compile(r"(?:it\s+was|agreement\s+was|consensus\s+was|было|достигнут|agree|decide|concur|settled|договор|"
                       r"услов|соглас|решил|постанов)", _I)
_PASSIVE_AGREE = re.compile(r"(?:it\s+was|agreement\s+was|consensus\s+was|было|достигнут)", _I)
_WE = re.compile(r"(?<!\w)(?:we|мы)(?!\w)", _I)
_AND = re.compile(r"(?<!\w)(?:and|и)(?!\w)")


# "will be" + a participle is an action ("will be held"); + anything else a state ("will be important").
_WILL_BE_STATE = re.compile(r"\s+be\s+(?!\w+(?:ed|en)\b|held|built|made|set|sent|paid|sought|brought|taken|given|"
                            r"run|hosted|led|met|kept|put|spent|done|shown|chosen|seen|known|begun|undertaken|"
                            r"ready|able|prepared|responsible)", _I)
_AGREE_ON_VALUE = re.compile(r"\s+(?:on|upon)\s+(?:the\s+)?(?:\w+\s+)?(?:importance|significance|value|relevance|"
                             r"centrality|potential)\b", _I)
_FUTURE_IN_THAT = re.compile(r"\b(?:will|would|shall|should|must|need\s+to|needs\s+to|is\s+to|are\s+to|"
                             r"continue\s+to|intend|plan)\b", _I)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    s, e, _conj = _trim_telling(text, s, e)
    return s, e


def _trim_telling(text: str, s: int, e: int) -> tuple[int, int, bool]:
    """_trim, and whether it dropped a leading conjunction: if not, _trim leaves its span as it is
    (its first character is kept, and _LEAD_CONJ, which failed there, fails on a shorter span too)."""
    while s < e and (text[s].isspace() or text[s] in "-•*–—,;:"):
        s += 1
    m = _LEAD_CONJ.match(text, s, e)
    if m:
        s = m.end()
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:"):
        e -= 1
    return s, e, m is not None


_HEADING_NOT_AFTER = (".", ";", ":", "!", "?", "»", '"', "”")  # a line ending so is no heading


def _is_heading(text: str, s: int, e: int) -> bool:
    line = text[s:e]
    return "\n" not in line and (e - s) < _HEADING_MAX and not line.rstrip().endswith(_HEADING_NOT_AFTER)


_LEADING_NOT = re.compile(r"\s+not\b")
_AGENDA_MODAL = re.compile(r"(?:will|would)\s+(?:also\s+|then\s+)?(?:discuss|review|exchange|talk|focus|touch|cover|"
                           r"be\s+discussed|be\s+on\s+the\s+agenda)", _I)
_INTENT_VERB_CUE = re.compile(r"(?:intend|plan|aim|seek|mean|want|wish)(?!\s+is)")
_NOUN_DETERMINER_BEFORE = re.compile(r"\b(?:the|their|its|his|her|our|of|on|about|new|future|these|those|such|discussed|reviewed|"
                                     r"outlined|presented|welcomed|any|no)\s+$", _I)
_ORDINAL_BEFORE = re.compile(r"\b(?:first|last|only|second|third|latest)\s+$", _I)
_IS_TO_CUE = re.compile(r"(?:is|are)\s+to$")
_AIM_NOUN_BEFORE = re.compile(r"\b(?:aim|goal|purpose|idea|task|"
                              r"objective)\s*$", _I)
_AGREE_CUE = re.compile(r"(?:agreed|agree|concurred)$")
_LEADING_THAT = re.compile(r"\s+that\b", _I)
_INVITE_CUE = re.compile(r"(?:invited|invites|invite)$")
_PASSIVE_AUX_BEFORE = re.compile(r"\b(?:was|were|been|being)\s+$", _I)
_ASK_CUE = re.compile(r"(?:asked|asks)$")
_QUESTION_WORD_AFTER = re.compile(r"\s+(?:about|whether|how|why|what)\b", _I)
_REPORTING_VERB_BEFORE = re.compile(r"\b(?:said|stated|noted|confirmed|announced|told|assured|informed|indicated|added|"
                                    r"explained|replied|agreed|promised|pledged)\b[^.;]*$", _I)
_SUBJECT_WORD_IN_CLAUSE = re.compile(r"\b(?:he|she|it|they|we|ministry|government|side|company|agency|authorities|delegation|"
                                     r"administration|embassy|country|bank|fund|president|minister)\b|\b[A-Z]")


class _CueWords(NamedTuple):
    """What the rules read from a cue's own words."""
    agreeing: bool  # _AGREEING: agreement, decision or passive agreement
    passive_agreement: bool  # _PASSIVE_AGREE: "it was agreed", "достигнута договоренность"
    schedule: bool  # _SCHEDULE: "is to be held", "the plan is to"
    instruction: bool  # _INSTRUCTION: "instructed", "tasked"
    future_modal: bool  # will, would, shall
    intent_verb: bool  # _INTENT_VERB_CUE: "intends", "plans"
    to_be: bool
    would: bool
    is_to: bool  # _IS_TO_CUE
    agree: bool  # _AGREE_CUE
    invite: bool  # _INVITE_CUE
    ask: bool  # _ASK_CUE


@lru_cache(maxsize=2048)
def _cue_words(cue: str) -> _CueWords:
    """The facts of a cue's words (m.group(0)): a few regexes, once per distinct cue instead of once per cue found."""
    low = cue.lower()
    return _CueWords(
        agreeing=_AGREEING.match(cue) is not None, passive_agreement=_PASSIVE_AGREE.match(cue) is not None,
        schedule=_SCHEDULE.match(cue) is not None, instruction=_INSTRUCTION.match(cue) is not None,
        future_modal=low in ("will", "would", "shall"), intent_verb=_INTENT_VERB_CUE.match(low) is not None,
        to_be=low.startswith("to be"), would=low.startswith("would"), is_to=_IS_TO_CUE.match(low) is not None,
        agree=_AGREE_CUE.match(low) is not None, invite=_INVITE_CUE.match(low) is not None,
        ask=_ASK_CUE.match(low) is not None)


@lru_cache(maxsize=4096)
def _cancelled(near: str, lang: str, folds: bool) -> bool:
    """Whether the words right before a cue negate it or put it in the past (folds: folds_like_lower
    of the text): once per distinct text before a cue (most sentences open with one of a few
    subjects: "The sides")."""
    return _CANCELLING[lang].search(near, folds) is not None


def _cue_ok(text: str, sent_start: int, m: re.Match, lang: str, folds: bool) -> bool:
    """Whether the cue m in the sentence from sent_start commits (folds: folds_like_lower(text))."""
    before = text[sent_start:m.start()]
    near = before[-48:]  # the words right before the cue ($-anchored patterns are slow on long text)
    cue = _cue_words(m.group(0))
    if _cancelled(near, lang, folds):
        return False
    after = text[m.end():m.end() + 40]
    if lang == "en" and _LEADING_NOT.match(after):
        return False
    if m.group("modal"):
        if lang == "en" and _AGENDA_MODAL.match(text[m.start():m.end() + 30]):
            return False  # an agenda, not an undertaking
        if lang == "en" and cue.future_modal and _WILL_BE_STATE.match(text, m.end()):
            return False  # "the elections will be consequential": a prediction, not an undertaking
        if lang == "en" and cue.intent_verb and \
                _NOUN_DETERMINER_BEFORE.search(before):
            return False  # the noun "plans to export", not a plan
        if lang == "en" and cue.to_be and _ORDINAL_BEFORE.search(before):
            return False  # "the first to be held under..."
        if _RELATIVE_ANY_CASE[lang].search(near, folds):
            return False  # "a cable that would carry", "Switzerland, which will chair"
        if _EXPECTATION_ANY_CASE[lang].search(before, folds):
            return False
        if lang == "en" and cue.would and not _REPORT["en"].search(near.rstrip() + " ") and not \
                _REPORTING_VERB_BEFORE.search(before):
            return False  # "would" commits only in reported speech
        if lang == "en" and cue.would:
            frame = None
            for frame in _FRAME["en"].finditer(before):
                pass
            emb = before[frame.end():] if frame else before
            if not _SUBJECT_WORD_IN_CLAUSE.search(emb):
                return False  # "simplifying the regime would give": an assessment
        if lang == "en" and cue.is_to and _AIM_NOUN_BEFORE.search(before):
            return True
    else:
        if lang == "en" and _AGREE_ON_VALUE.match(text, m.end()):
            return False  # "agreed on the importance of": a statement of importance
        if lang == "en" and cue.agree and _LEADING_THAT.match(after):
            rest = text[m.end():m.end() + 200].split(".")[0]
            if not _FUTURE_IN_THAT.search(rest):
                return False  # "agreed that stability was central": an assessment
        if lang == "en" and cue.invite and _PASSIVE_AUX_BEFORE.search(before):
            return False  # "X was invited": the inviter is elsewhere
        if lang == "en" and cue.ask and _QUESTION_WORD_AFTER.match(after):
            return False  # a question, not a request
    return True


_NONEMPTY_LINE = re.compile(r"[^\n]+")


def _items_after(text: str, pos: int, limit: int) -> list[tuple[int, int]]:
    """Bulleted / numbered items right after pos (a "the Parties agreed:" list)."""
    items: list[tuple[int, int]] = []
    for line_m in _NONEMPTY_LINE.finditer(text[pos:limit]):
        ls, le = pos + line_m.start(), pos + line_m.end()
        line = text[ls:le]
        if not line.strip():
            continue
        b = _BULLET.match(line)
        if not b:
            if items:
                break
            continue
        items.append(_trim(text, ls + b.end(), le))
    return items


_TO_INFINITIVE = re.compile(r"\bto\s+[a-z]")


def _action_head_ends(text: str) -> list[int]:
    """The ends of _ACTION_HEAD.finditer(text)'s matches (all that _action_items reads of them).

    A match starts at a line start L: at 0, or after a "\n", where _ACTION_HEAD_AFTER_NEWLINE
    matches at L - 1 with the same ends to choose from. Its leftmost match from a position p is
    then _ACTION_HEAD's from p, with the same end, whenever text[p - 1] is no "\n" unless text[p]
    is one too (a "\n" at p - 1 alone would let _ACTION_HEAD match at p but not the other): true
    at p = 0, handled apart, and at the end of a match, which "$" puts before a "\n" or at the end.
    """
    ends = []
    pos = 0
    first = _ACTION_HEAD.match(text)
    if first:
        pos = first.end()
        ends.append(pos)
    ends.extend(m.end() for m in _ACTION_HEAD_AFTER_NEWLINE.finditer(text, pos))
    return ends


def _action_items(text: str, ctx: _Ctx) -> list[dict]:
    out = []
    for pos in _action_head_ends(text):
        for s, e in _items_after(text, pos, min(len(text), pos + 4000)):
            line = text[s:e]
            owner_s, owner_e = s, s
            clause_s = s
            m = _ITEM_OWNER.match(line)
            if m and not _TO_INFINITIVE.search(m["owner"]):
                owner_s, owner_e = s, s + m.end("owner")
                clause_s = s + m.start("rest")
            else:
                m2 = _ITEM_TO.match(line)
                if m2:
                    owner_s, owner_e = s, s + m2.end("owner")
            actors, _kind = _resolve(ctx, owner_s, owner_e, at=owner_s)
            if not actors and owner_e > owner_s and not ctx.parties_in(owner_s, owner_e):
                actors = ctx.author_codes()
            out.append(_record(text, clause_s, e, actors))
    return out


def _record(text: str, s: int, e: int, actors: list[str], *, trimmed: bool = False) -> dict:
    """A commitment; its due date is filled in by _with_due_dates (trimmed: _trim leaves text[s:e] as it is)."""
    if not trimmed:
        s, e = _trim(text, s, e)
    return {"text": text[s:e], "actors": sorted(set(actors)), "due": None, "spans": [[s, e]]}


def _with_due_dates(results: list[dict], anchor: str | None, lang: str) -> list[dict]:
    """The commitments with their due dates: all at once, at the end, so that the date rules run
    back to back (their regexes and tables stay in the processor's caches between commitments)."""
    for rec, due in zip(results, resolve_dues([rec["text"] for rec in results], anchor, lang=lang)):
        rec["due"] = due
    return results


_SENT_END = re.compile(r"[.!?…;\n][\"'»”)\]]*\s+")
_NEXT_STARTS = re.compile(r"[\"'«“(\[]?[A-ZА-ЯЁ0-9•\-–]")
# What _next_starts reads for it: the characters of its two classes.
_OPENING_MARKS = frozenset("\"'«“([")
_SENTENCE_OPENERS = frozenset([chr(c) for c in range(ord("A"), ord("Z") + 1)] + [chr(c) for c in range(ord("А"), ord("Я") + 1)]
                              + list("Ё0123456789•-–"))


def _next_starts(text: str, pos: int) -> bool:
    """Whether _NEXT_STARTS matches at pos (a sentence may start there), by two set look-ups
    rather than a regex call (~1,000 instructions with its data stack): an opening mark is only
    ever followed, in a match, by an opener (none is one itself)."""
    c = text[pos:pos + 1]
    if c in _OPENING_MARKS:
        c = text[pos + 1:pos + 2]
    return c in _SENTENCE_OPENERS  # ("" at the end of the text: no)
# A period after one of these, or after a single letter or digit (an initial, "H.E.", "e.g.",
# "т.е."), does not end a sentence.
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Prof St Gen Col Lt Maj Capt Adm Sen Rep Gov Amb No Nos Art Jan Feb Mar Apr Jun "
                           "Jul Aug Sep Sept Oct Nov Dec vs etc approx Inc Ltd Co Corp Jr Sr гг им ул".split())
_ABBREVIATION_LENGTHS = sorted({len(w) for w in _ABBREVIATIONS})
_ABBREVIATION_ENDINGS = frozenset(w[-2:] for w in _ABBREVIATIONS)  # (every abbreviation has two letters or more)
_LIST_AHEAD = re.compile(r"[ \t]*(?:[-•*\u2022–—]|\(?\d{1,2}[.)]|\(?[a-z][.)]\s)")
_LINE_END_MARKS = frozenset('.!?:;»”"')


# A cut (the text between two sentences) is made of end punctuation, closing quotes and
# whitespace only, so it lies inside one maximal run of such characters, and only a run
# holding one of [.!?…;\n] can hold a cut. Runs are independent: the first cut of a run is
# always kept, and whether a later one is kept depends on the cuts of that run alone.
# That lets the sentence around a cue be found from the runs next to it, without
# splitting the whole text (most sentences hold no cue).
_CUT_RUN = re.compile(r"[.!?…;\n][.!?…;\n\"'»”)\]\s]*")  # from a run's first [.!?…;\n] to its end


def _run_cuts(text: str, rs: int, re_: int) -> list[tuple[int, int]]:
    """The cuts in the run text[rs:re_], as the whole-text splitter finds them, sorted."""
    gap = text[rs + 1:re_]
    if gap and text[rs] in _MARKS_BUT_NEWLINE and gap.isspace():
        # The commonest run, one mark and whitespace (". ", ".\n\n"): its one _SENT_END match is the whole run.
        cuts = _mark_cut(text, rs, re_)
    else:
        cuts = []
        # A match of _SENT_END starts at one of [.!?…;\n] and stays in its run: scanning the run
        # from its first such character gives the matches a whole-text scan gives.
        for m in _SENT_END.finditer(text, rs, re_):
            g = m.group()
            first = g[0]
            if first == "\n":
                if "\n" in g[1:]:
                    cuts.append(m.span())  # a blank line
                continue
            cuts.extend(_mark_cut(text, *m.span()))
    q = text.find("\n", rs, re_)
    if q < 0:
        return cuts  # (one cut per _SENT_END match: already in order)
    while q >= 0:
        # A single line break ends a sentence only before a list item or after a line
        # that is complete on its own (a heading, a list item, a sentence); hard-wrapped
        # text (PDF, plain-text mail) keeps running.
        p0 = q
        while p0 > 0 and text[p0 - 1] in " \t":
            p0 -= 1
        if p0 > 0 and text[p0 - 1] in _LINE_END_MARKS:
            cuts.append((p0, q + 1))
        elif _LIST_AHEAD.match(text, q + 1):
            cuts.append((q, q + 1))
        if _ends_heading(text, q):
            cuts.append((q, q + 1))
        q = text.find("\n", q + 1, re_)
    cuts.sort()
    return cuts


_MARKS_BUT_NEWLINE = frozenset(".!?…;")


def _mark_cut(text: str, ms: int, me: int) -> list[tuple[int, int]]:
    """The cut of a _SENT_END match text[ms:me] that starts with one of [.!?…;], if it is one."""
    mark = text[ms]
    if mark == ";":
        return [(ms, me)]
    if not _next_starts(text, me) or (mark == "." and _abbreviation_before(text, ms)):
        return []
    return [(ms + 1, me)]


def _abbreviation_before(text: str, ms: int) -> bool:
    """Whether the period at ms ends an abbreviation (the word before it is one, as a whole word)."""
    two = text[ms - 2:ms]
    if ms >= 2 and two not in _ABBREVIATION_ENDINGS:
        # The common case (a word that no abbreviation ends like): an abbreviation only if the
        # period follows a single letter or digit, as below, without two calls of _is_word_char.
        if two.isalnum():
            return False  # (the commonest: two letters before the period)
        c, b = two[1], two[0]
        return (c.isalnum() or c == "_") and not (b.isalnum() or b == "_")
    if ms == 0 or not _is_word_char(text[ms - 1]):
        return False
    if ms == 1 or not _is_word_char(text[ms - 2]):
        return True  # one letter or digit: an initial, "H.E.", "e.g."
    for n in _ABBREVIATION_LENGTHS:
        if n <= ms and text[ms - n:ms] in _ABBREVIATIONS and (n == ms or not _is_word_char(text[ms - n - 1])):
            return True
    return False


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches


def _ends_heading(text: str, q: int) -> bool:
    """Whether the line ending at the newline q is a heading: short, no final punctuation, set off by a blank line."""
    if q == 0 or text[q - 1] in ".,;:!?\n":
        return False  # the common case: a line ending in a period, or an empty line
    ls = text.rfind("\n", 0, q) + 1
    stripped = text[ls:q].strip()
    if not (0 < len(stripped) < _HEADING_MAX) or stripped[-1] in ".,;:!?" or stripped[0].islower():
        return False
    if ls == 0 or not text[text.rfind("\n", 0, ls - 1) + 1:ls - 1].strip():
        return True  # the first line, or a blank line before
    nl = text.find("\n", q + 1)
    return not text[q + 1:nl if nl >= 0 else len(text)].strip()


_RARE_MARKS = ";!?…"  # what ends a sentence besides "." and "\n"


def _marks_in(text: str) -> str:
    """The characters that end a sentence, "." and "\n" and those of _RARE_MARKS that text holds
    (mostly none: a test each, memchr-fast, for the whole text, where _sentence_at looks for each)."""
    return ".\n" + "".join([mark for mark in _RARE_MARKS if mark in text])


def _next_run(text: str, pos: int, marks: str) -> re.Match | None:
    """_CUT_RUN.search(text, pos), for marks = _marks_in(text): the first mark found with str.find
    (memchr-fast) rather than by a class scan of every character (50-110 instructions each)."""
    first = len(text)
    for mark in marks:
        found = text.find(mark, pos, first)  # (only one before those found matters)
        if found >= 0:
            first = found
    return _CUT_RUN.match(text, first) if first < len(text) else None


def _last_kept_end(cuts: list[tuple[int, int]]) -> int:
    """The end of the last cut of one run the splitter keeps (it skips a cut that starts inside
    the last kept one); cuts is not empty."""
    end = -1
    for cs, ce in cuts:
        if cs >= end:
            end = ce
    return end


def _kept_mark_cut(text: str, rs: int, re_: int) -> int:
    """For the commonest run, one of [.!?…;] and whitespace (". ", ".\n\n"), whose mark makes a cut
    (_mark_cut): where that cut starts; else -1 (_run_cuts then tells).

    Such a cut, (rs, re_) after ";", else (rs + 1, re_), is the run's first cut (any line break's
    starts after the mark) and spans it: the sentence after it starts at re_ once the whitespace is
    trimmed, whichever of the run's cuts the splitter keeps last, all ending inside the whitespace.
    So the line breaks of the run (_run_cuts) need no look."""
    mark = text[rs]
    if mark not in _MARKS_BUT_NEWLINE or re_ - rs < 2 or not text[rs + 1:re_].isspace():
        return -1
    if mark == ";":
        return rs
    if not _next_starts(text, re_) or (mark == "." and _abbreviation_before(text, rs)):
        return -1
    return rs + 1


def _sentence_at(text: str, p: int, marks: str | None = None) -> tuple[int, int]:
    """The sentence (whitespace trimmed) holding position p, a letter (the start of a cue).
    marks: _marks_in(text), when the caller has it."""
    n = len(text)
    if marks is None:
        marks = _marks_in(text)
    # Start: the end of the last kept cut of the last run before p that has cuts.
    start, hi = 0, p
    rfind = text.rfind
    while hi > 0:
        k = max(rfind(".", 0, hi), rfind("\n", 0, hi))
        # Rarer marks the text holds (mostly none): only a later one matters, so no need to look
        # further back.
        for mark in marks[2:]:
            k = max(k, rfind(mark, k + 1, hi))
        if k < 0:
            break
        rs, re_ = k, k + 1
        while rs > 0 and (text[rs - 1] in _RUN_PUNCT or text[rs - 1].isspace()):
            rs -= 1
        while re_ < n and (text[re_] in _RUN_PUNCT or text[re_].isspace()):
            re_ += 1
        if _kept_mark_cut(text, rs, re_) >= 0:
            start = re_  # (where the trimming below takes any kept cut's end: see _kept_mark_cut)
            break
        cuts = _run_cuts(text, rs, re_)
        if cuts:
            start = _last_kept_end(cuts)
            break
        hi = rs
    # End: the first cut of the first run after p that has cuts (the first cut of a run is always kept).
    end = n
    m = _next_run(text, p, marks)
    while m:
        cut = _kept_mark_cut(text, m.start(), m.end())
        if cut >= 0:
            end = cut
            break
        cuts = _run_cuts(text, m.start(), m.end())
        if cuts:
            end = cuts[0][0]
            break
        m = _next_run(text, m.end(), marks)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_RUN_PUNCT = frozenset(".!?…;\n\"'»”)]")



def _cue_sentences(text: str, cues: list[re.Match]) -> Iterable[tuple[int, int, list[re.Match]]]:
    """The sentences holding a cue, in order, each with its cues (a sentence without one holds no commitment)."""
    i, n = 0, len(cues)
    marks = _marks_in(text) if cues else ""
    while i < n:
        ss, se = _sentence_at(text, cues[i].start(), marks)
        j = i + 1
        while j < n and cues[j].start() < se:
            j += 1
        yield ss, se, cues[i:j]
        i = j


_AND_REPORTING_VERB_TAIL = re.compile(r"(?:,\s*|\s+)(?:and|и)\s+(?:also\s+)?(?:said|confirmed|announced|stated|noted|added|"
                                      r"assured|told\s+\w+|informed\s+\w+|подтвердил\w*|заявил\w*|отметил\w*)"
                                      r"(?:\s+that|,?\s+что)?\s+(?:\S+\s+){0,4}?$", _I)
_COLON_AT_END = re.compile(r"\s*:\s*$")
_LEADING_COLON = re.compile(r"\s*:")
_SENTENCE_END_PUNCT = re.compile(r"[.;!?]\s*$")


def _colon_after(text: str, cue_end: int, seg_e: int) -> bool:
    """Whether a colon follows the cue: at the end of its segment, or within three characters."""
    if text.find(":", cue_end, max(seg_e, cue_end + 3)) < 0:
        return False  # the common case, at the cost of one search instead of two slices and regexes
    return bool(_COLON_AT_END.match(text[cue_end:seg_e]) or _LEADING_COLON.match(text[cue_end:cue_end + 3]))


def _segments(text: str, ss: int, se: int, cues: list[re.Match], lang: str) -> list[tuple[int, int, list[re.Match]]]:
    """The sentence text[ss:se] split where a coordinated verb cue starts a new clause, each part with its cues."""
    segments: list[tuple[int, int, list[re.Match]]] = []
    seg_start = ss
    current: list[re.Match] = []
    for m in cues:
        # (the first cue of a sentence never starts a new clause: no need to look for "and")
        coord = _COORD[lang].search(text, ss, m.start()) if current else None
        starts_new = False
        if current and coord and coord.end() == m.start():
            # "agreed to X and tasked their officials to Y" is one undertaking.
            starts_new = bool(m.group("verb")) and not _cue_words(m.group(0)).instruction
        if current and not starts_new:
            # a reporting verb coordinated right before this cue: "... and confirmed that he will"
            rep = _AND_REPORTING_VERB_TAIL.search(text[ss:m.start()])
            if rep and ss + rep.start() > (current[-1].end() if current else ss):
                segments.append((seg_start, ss + rep.start(), current))
                seg_start, current = ss + rep.start(), []
        if starts_new:
            segments.append((seg_start, coord.start(), current))
            seg_start, current = coord.end(), []
        current.append(m)
    segments.append((seg_start, se, current))
    return segments


def find_commitments(text: str, *, meeting_date: str | None, doc_date: str | None, mentions: list,
                     parties: list[dict], lang: str) -> list[dict]:
    """Forward-looking commitments in text (see the module docstring), in text order."""
    lang = "ru" if lang == "ru" else "en"
    anchor = meeting_date or doc_date
    low = lower_aligned(text)
    folds = folds_like_lower(text)
    ctx = _Ctx(text, mentions, parties, lang, folds)
    all_cues, word_lists = _find_cues(text, low, folds, lang)
    # (the automaton's lower-cased words stand for the case-insensitive regexes unless odd letters fold)
    ctx.may_accept_invitation = _ACCEPTANCE in word_lists or not folds
    results: list[dict] = []
    taken: list[tuple[int, int]] = []
    # The largest end in taken: a sentence or clause starting there or later meets none of them
    # (the commonest case, as the sentences come in order), without a look at each.
    taken_end = 0

    actions = _action_items(text, ctx) if _HEADING in word_lists or not folds else []
    for rec in actions:
        taken.append(tuple(rec["spans"][0]))
        taken_end = max(taken_end, rec["spans"][0][1])
    results.extend(actions)

    # (every _COMMENT match holds "COMMENT" or "Comment": "comment" in the lowered text, one search for both)
    comments = [m.span() for m in _COMMENT.finditer(text)] if "comment" in low else []
    for ss, se, in_sentence in _cue_sentences(text, all_cues):
        if ss < taken_end and any(ts <= ss < te for ts, te in taken) or comments and any(cs <= ss < ce for cs, ce in comments):
            continue
        # (_is_heading is False for a sentence ending in a mark, the commonest: _sentence_at trims whitespace,
        # so text[se - 1] is what the heading test's rstrip() leaves last)
        if text[se - 1] not in _HEADING_NOT_AFTER and _is_heading(text, ss, se) and (ss == 0 or text[max(0, ss - 2):ss].count("\n") >= 1) and \
                not _BULLET.match(text[ss:se]):
            if not _SENTENCE_END_PUNCT.search(text[ss:se]) and se - ss < 120:
                continue
        # (a loop, not a comprehension: most sentences hold one cue, and a comprehension is a call)
        cues = []
        for m in in_sentence:
            if m.end() <= se and _cue_ok(text, ss, m, lang, folds):
                cues.append(m)
        if not cues:
            continue
        # (a sentence with one cue, the commonest, is one segment: its first cue never starts a new clause)
        segments = [(ss, se, cues)] if len(cues) == 1 else _segments(text, ss, se, cues, lang)

        for seg_s, seg_e, seg_cues in segments:
            if not seg_cues:
                continue
            first = seg_cues[0]
            # A list introduced by the cue ("the Parties agreed:") — one commitment per item.
            if _colon_after(text, first.end(), seg_e):
                subj_s = _subject_begins(text, seg_s, first.start(), lang)
                actors, _ = _resolve(ctx, subj_s, first.end(), at=subj_s)
                if not actors and first.group("verb"):
                    actors = list(ctx.all_codes)
                items = _items_after(text, first.end(), min(len(text), first.end() + 6000))
                for is_, ie in items:
                    if is_ >= taken_end or not any(ts <= is_ < te for ts, te in taken):
                        results.append(_record(text, is_, ie, actors))
                        taken.append((is_, ie))
                        taken_end = max(taken_end, ie)
                continue
            start = seg_s
            if seg_s == ss or not _AFTER_CONJ.search(text, max(ss, seg_s - 8), seg_s):
                start = _subject_begins(text, seg_s, first.start(), lang)
            # Reporting frame: keep the speaker when the cue sits in reported speech.
            frame = _REPORT[lang].search(text[seg_s:start]) if start > seg_s else None
            if frame is not None:
                start = _subject_begins(text, seg_s, seg_s + frame.start(), lang)
            end = seg_e
            tail = _TRAIL_ATTRIBUTION[lang].search(text, first.end(), end)
            if tail:
                end = tail.start()
            s, e, conj = _trim_telling(text, start, end)
            if e - s < 8:
                continue
            if s < taken_end and any(ts < e and s < te for ts, te in taken):
                continue
            actors = _actors(ctx, ss, s, first, e)
            results.append(_record(text, s, e, actors, trimmed=not conj))
            taken.append((s, e))
            taken_end = max(taken_end, e)
    results.sort(key=lambda r: r["spans"][0][0])
    return _with_due_dates(results, anchor, lang)


_LEADING_THAT_FILLER = re.compile(r"[\s,]*(?:that|что)?\s*", _I)


def _sentence_subject(ctx: _Ctx, sent_start: int, s: int) -> tuple[list[str], str]:
    """For a clause at s that starts at its verb ("... and invited X"): the sentence's subject, who acts."""
    text, lang = ctx.text, ctx.lang
    subj_s = _strip_intro(text, sent_start, s, lang)
    if subj_s >= s:
        return [], "none"
    return _resolve(ctx, subj_s, _first_verb(text, subj_s, s, lang), at=subj_s)


def _actors(ctx: _Ctx, sent_start: int, s: int, cue: re.Match, e: int) -> list[str]:
    text, lang = ctx.text, ctx.lang
    subj_e = cue.start()
    words = _cue_words(cue.group(0))
    agreeing = bool(cue.group("verb")) and words.agreeing
    # Passive agreement ("it was agreed", "достигнута договоренность") has no subject: everyone.
    if agreeing and words.passive_agreement:
        return list(ctx.all_codes)
    region = text[s:subj_e]
    region_words = _subject_words(region, lang, ctx.folds)
    if agreeing and region_words.we:
        return list(ctx.all_codes)  # "we agreed": both sides

    frame = region_words.last_frame
    if frame is not None:
        # Reported speech: the embedded subject when it names a side, else the speaker.
        frame_start, frame_end = frame
        emb_s = s + frame_end
        lead = _LEADING_THAT_FILLER.match(text[emb_s:subj_e])
        emb_s += lead.end() if lead else 0
        actors, kind = _resolve(ctx, emb_s, subj_e, at=emb_s)
        if kind in ("pronoun", "none", "title"):
            if text[s:s + frame_start].strip():
                actors, kind = _resolve(ctx, s, s + frame_start, at=s)
            else:
                actors, kind = _sentence_subject(ctx, sent_start, s)
    elif region.strip():
        actors, kind = _resolve(ctx, s, subj_e, at=s, words=region_words)
    else:
        actors, kind = _sentence_subject(ctx, sent_start, s)
    if kind == "none":
        if agreeing or words.schedule:
            # "the next session is to be held", "the plan is to": a joint undertaking
            actors = list(ctx.all_codes)
        else:
            i = ctx.last_party_before(s + 1)
            if i is not None and ctx.parties[i].get("country"):
                actors = [ctx.parties[i]["country"]]
    if ctx.may_accept_invitation and _may_hold_acceptance(text, cue.end(), e) and \
            _INVITE_ACCEPTED.search(text, cue.end(), e):
        obj_end = text.find(" to", cue.end(), e)
        obj_end = obj_end if obj_end > 0 else min(e, cue.end() + 60)
        more, _k = _resolve(ctx, cue.end(), obj_end, at=cue.end())
        actors = actors + more
    return actors  # (perhaps unsorted, with repeats: _record sorts them)


def _may_hold_acceptance(text: str, s: int, e: int) -> bool:
    """Whether _INVITE_ACCEPTED may match in text[s:e]: each of its matches holds a word of
    _ACCEPTANCE_WORDS, which the lowered span then holds where it folds like lower() (a document
    with "ı" somewhere, which the automaton's flag cannot vouch for, mostly has none in a clause)."""
    span = text[s:e]
    if not folds_like_lower(span):
        return True
    low = span.lower()
    return any(w in low for w in _ACCEPTANCE_WORDS)


_FRAME = {
    "en": re.compile(r"\b(?:said|says|stated|noted|confirmed|announced|stressed|emphasi[sz]ed|underlined|added|explained|"
                     r"indicated|informed(?:\s+\w+)?|told(?:\s+\w+)?|assured(?:\s+\w+(?:\s+\w+)?)?|reaffirmed|reiterated|"
                     r"declared|replied|recalled)\b", _I),
    "ru": re.compile(r"(?<!\w)(?:сообщил\w*|заявил\w*|отметил\w*|подчеркнул\w*|подтвердил\w*|сказал\w*)(?!\w)", _I),
}
_FIRST_VERB = {
    "en": re.compile(r"\b(?:[a-z]{2,}ed|said|says|held|met|took|gave|made|spoke|told|led|sent|began|paid|saw|"
                     r"is|are|was|were|has|have|had|will|would|can|could|did|does|stands|remains|invites|proposes|"
                     r"notes|expresses|welcomes|reaffirms|agrees|sees|regards|considers|calls|wants|plans|intends|"
                     r"offers|asks|thanks|hopes|believes|supports|recalls|highlights|underlines|stresses)\b"),
    "ru": re.compile(r"(?<!\w)[а-яё]+(?:ал|ял|ил|ел|ул|ыл|ли|ла|ло|ет|ит|ют|ят|ут|ат|ется|ится|ются|ятся|ался|ался|"
                     r"ились|ались|ился|илась|алась)(?!\w)"),
}


def _first_verb(text: str, s: int, limit: int, lang: str) -> int:
    """End of a sentence's subject: where its first verb begins (or the limit)."""
    m = _FIRST_VERB[lang].search(text, s, limit)
    return m.start() if m else limit
