"""Where the store and exports live by default, and how a person overrides it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "briefings"
DB_ENV = "BRIEFINGS_DB"
EXPORT_ENV = "BRIEFINGS_EXPORT_DIR"


def default_db_path() -> Path:
    """``$BRIEFINGS_DB``, else ``briefings.json`` in the platform's user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "briefings.json"


def demo_db_path() -> Path:
    """The demo store lives apart from the user's own so the samples never mix with real work."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo" / "demo.json"


def default_export_dir() -> Path:
    env = os.environ.get(EXPORT_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_documents_dir()) / "Briefings exports"


def samples_dir() -> Path:
    """The bundled sample briefings, from a checkout or an installed wheel."""
    checkout = Path(__file__).resolve().parent.parent / "briefings"
    if checkout.is_dir():
        return checkout
    import importlib.util

    spec = importlib.util.find_spec("briefings_samples")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the bundled sample briefings are not installed")
    return Path(next(iter(spec.submodule_search_locations)))
