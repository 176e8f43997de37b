"""What ``country:`` and ``theme:`` values mean, with suggestions when they mean nothing.

Countries come from ``store.extract.countries`` (names, adjectives and codes,
English and Russian); themes from ``store.extract.themes.load_taxonomy()``.
Both imports are guarded so search keeps working (on pycountry names and the
guidelines' 18 theme ids) while those modules are being changed.
"""

from __future__ import annotations

from functools import lru_cache

from store.search.fold import fold_word
from store.search.query import QueryError, suggest

GUIDELINE_THEMES = (
    "political-dialogue", "trade-investment", "energy-resources", "transport-logistics", "legal-cooperation",
    "anti-corruption", "security-defense", "digital-technology", "education-science", "culture-humanitarian",
    "health", "environment-climate", "agriculture-food", "consular-migration", "multilateral",
    "regional-security", "human-rights-governance", "development-aid",
)


# -- countries -----------------------------------------------------------------
def _extract_resolve(word: str) -> str | None:
    try:
        from store.extract.countries import resolve_country
    except Exception:  # the extractor is being rewritten: fall back to pycountry
        return None
    try:
        return resolve_country(word)
    except Exception:
        return None


def country_name(code: str) -> str:
    try:
        from store.extract.countries import country_name as name_of

        return name_of(code)
    except Exception:
        return _pycountry_names().get(code, code)


@lru_cache(maxsize=1)
def _pycountry_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Folded English name → code, for the fallback, prefixes and suggestions."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and "," not in name and "(" not in name:
                out.setdefault(fold_word(name), c.alpha_2)
    return out


def resolve_country(value: str, typing: bool = False) -> str:
    return _resolve_country(value, typing)


@lru_cache(maxsize=1024)
def _resolve_country(value: str, typing: bool) -> str:
    """``HU`` / ``hu`` / ``hungary`` / ``Hungarian`` / ``венгрия`` → ``"HU"``; QueryError otherwise.

    While the value is still being typed (``typing``), a unique prefix of a
    country's name is enough (``c:hung``).
    """
    raw = value.strip()
    code = _extract_resolve(raw) or _extract_resolve(raw.upper() if len(raw) <= 3 else raw)
    if code:
        return code
    names = _name_index()
    key = fold_word(raw)
    if key in names:
        return names[key]
    if len(raw) in (2, 3) and raw.isalpha():
        import pycountry

        found = pycountry.countries.get(**{"alpha_2" if len(raw) == 2 else "alpha_3": raw.upper()})
        if found is not None:
            return found.alpha_2
    if typing and len(key) >= 2:
        codes = {c for name, c in names.items() if name.startswith(key)}
        if len(codes) == 1:
            return codes.pop()
    close = suggest(key, names, cutoff=2 if len(key) <= 6 else 3)
    hint = f"; did you mean {country_name(names[close])} ({names[close]})?" if close else \
        "; use a name, an adjective or an ISO code, e.g. country:HU"
    raise QueryError(f"unknown country {raw!r}{hint}")


# -- themes --------------------------------------------------------------------
def _taxonomy() -> tuple[tuple[str, str], ...]:
    try:
        from store.extract.themes import load_taxonomy

        items = tuple((str(t["id"]), str(t.get("label") or t["id"])) for t in load_taxonomy() if t.get("id"))
        if items:
            return items
    except Exception:
        pass
    return tuple((tid, tid.replace("-", " ").capitalize()) for tid in GUIDELINE_THEMES)


def themes() -> tuple[tuple[str, str], ...]:
    """(id, label) of every theme (read each time: a user's themes file may have been reloaded)."""
    return _taxonomy()


def resolve_theme(value: str) -> list[str]:
    return list(_resolve_theme(value, themes()))


@lru_cache(maxsize=512)
def _resolve_theme(value: str, table_source: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Theme ids a ``theme:`` value names: the id, or a prefix of the id or the label,
    or failing that a word of either (``t:climate`` → environment-climate)."""
    key = fold_word(value)
    if not key:
        raise QueryError(f"theme:{value} names no theme; e.g. theme:legal-cooperation")
    table = [(tid, fold_word(tid), fold_word(label)) for tid, label in table_source]
    exact = [tid for tid, fid, flabel in table if key in (fid, flabel)]
    if exact:
        return tuple(exact)
    found = [tid for tid, fid, flabel in table if fid.startswith(key) or flabel.startswith(key)]
    if not found:
        found = [tid for tid, fid, flabel in table
                 if any(w.startswith(key) for w in (fid + " " + flabel).split())]
    if found:
        return tuple(found)
    close = suggest(key.replace(" ", "-"), [tid for tid, _, _ in table], cutoff=4)
    hint = f"; did you mean theme:{close}?" if close else \
        "; themes are " + ", ".join(tid for tid, _, _ in table)
    raise QueryError(f"unknown theme {value!r}{hint}")
