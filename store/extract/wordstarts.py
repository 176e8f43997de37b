"""One walk per document over its spaced() text for every module's word-start keys.

Country names, meeting cues (people) and commitment triggers are all looked up
where a word starts. A walk of an Aho-Corasick automaton over a 3 KB text costs
about the same whatever its keys, so one automaton holding every module's keys,
walked once per document, costs about a third of three walks (~45 µs less per
briefing, measured).

A module registers a provider of ``(key, payload)`` pairs, each key spelled as
:func:`store.extract.text.ascii_spaced` spells it (a space in front, every
character but ASCII letters and digits a space). :func:`hits` then gives the
module, for one text, every ``(end, payload)`` of its keys in the order the walk
found them (by end; at one end, longest first), where ``end`` is the index of
the key's last character in the spaced text, which is also the index just past
the word in the text itself (the spaced text has one character more in front).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import ahocorasick

from store.extract.text import _per_document, spaced

Provider = Callable[[], Iterable[tuple[str, Any]]]

_providers: dict[str, Provider] = {}
_built: list[tuple[ahocorasick.Automaton, dict[str, int]] | None] = [None]
_lock = threading.Lock()

# A node looks its children up one by one in the order they were added: keys with frequent letters
# first make the common steps short (the automaton itself is the same).
_LETTER_ORDER = {c: i for i, c in enumerate(" etaoinsrhldcumfpgwybvkxjqz0123456789")}


def register(owner: str, provider: Provider) -> None:
    """Add ``owner``'s keys (``provider()`` is called once, when the automaton is first needed)."""
    with _lock:
        _providers[owner] = provider
        _built[0] = None


def _frequent_letters_first(key: str) -> list[int]:
    return [_LETTER_ORDER.get(c, len(_LETTER_ORDER)) for c in key]


def _automaton() -> tuple[ahocorasick.Automaton, dict[str, int]]:
    built = _built[0]
    if built is not None:
        return built
    with _lock:
        if _built[0] is None:
            owners = {owner: i for i, owner in enumerate(_providers)}
            by_key: dict[str, list[tuple[int, Any]]] = {}
            for owner, provider in _providers.items():
                for key, payload in provider():
                    assert key.startswith(" "), f"{owner}: {key!r} must start with a space"
                    by_key.setdefault(key, []).append((owners[owner], payload))
            auto = ahocorasick.Automaton()
            for key in sorted(by_key, key=_frequent_letters_first):
                entries = by_key[key]
                # one owner (nearly every key): (owner, payload); several: (-1, their pairs)
                auto.add_word(key, entries[0] if len(entries) == 1 else (-1, tuple(entries)))
            auto.make_automaton()
            _built[0] = (auto, owners)
        return _built[0]  # type: ignore[return-value]


def _walk(text: str) -> list[list[tuple[int, Any]]]:
    auto, owners = _automaton()
    buckets: list[list[tuple[int, Any]]] = [[] for _ in owners]
    for end, (owner, payload) in auto.iter(spaced(text)):
        if owner >= 0:
            buckets[owner].append((end, payload))
        else:
            for owner2, payload2 in payload:
                buckets[owner2].append((end, payload2))
    return buckets


def hits(text: str, owner: str) -> list[tuple[int, Any]]:
    """Every (end, payload) of ``owner``'s keys in spaced(text) (see the module docstring).

    Walked once for the document being extracted; callers only read the list.
    """
    buckets = _per_document(text, "word_starts", _walk)
    return buckets[_automaton()[1][owner]]


class WordEndKeys:
    """Keys that need a word end after them, spelled without the space that marks it.

    A module gives such a key a space after it in the walk (" un " for "UN"), so that it makes no
    hit inside a word ("under"); the spaced text has no space after the text's last word, so the
    module looks that word up here (:meth:`hits`).
    """

    def __init__(self) -> None:
        self._payloads: dict[str, Any] = {}
        self._longest = 0

    def clear(self) -> None:
        self._payloads.clear()
        self._longest = 0

    def get(self, key: str, default: Any = None) -> Any:
        return self._payloads.get(key, default)

    def add(self, key: str, payload: Any) -> None:
        """Set ``key``'s payload (``key`` as the walk's keys are spelled, without the space after it)."""
        self._payloads[key] = payload
        self._longest = max(self._longest, len(key))

    def hits(self, text: str) -> list[tuple[int, Any]]:
        """(end, payload) of each key that ends spaced(text), as the walk would report it with the space
        (end: the index of its last character, the text's last one): none unless the text ends with an
        ASCII letter or digit."""
        # (a text whose last character is no letter or digit has a spaced text ending with a space, as
        # no other character folds to an ASCII letter or digit: tested first, it spares most texts the
        # look-up of the spaced one)
        if not text[-1:].isalnum():
            return []
        sp = spaced(text)
        n = len(sp)
        if sp[-1] == " ":
            return []
        return [(n - 1, self._payloads[sp[i:]]) for i in range(max(0, n - self._longest), n)
                if sp[i] == " " and sp[i:] in self._payloads]
