from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: the first example of a property test pays for loading the gazetteers and
# building the shared automaton (a second or more on a loaded CI machine), which Hypothesis would report
# as a flaky failure. Speed is measured by `make bench`, not by tests.
settings.register_profile("briefings", deadline=None)
settings.load_profile("briefings")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
SEED = DEV / "seed-kz-hu-prosecutors.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user's store, exports or config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.delenv("BRIEFINGS_DB", raising=False)
    monkeypatch.delenv("BRIEFINGS_EXPORT_DIR", raising=False)
    monkeypatch.delenv("BRIEFINGS_THEMES", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "briefings.json"


def write_text_files(folder: Path, count: int, *, prefix: str = "doc") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}-{i:04d}.txt"
        path.write_text(f"Meeting {prefix} number {i}\n\nThe Minister of Foreign Affairs of Hungary "
                        f"met the Ambassador of Kazakhstan to discuss item {i} of the agenda.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def umask_free_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
