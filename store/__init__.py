"""Everything that gets briefings into and out of the store.

    from store import open_store
    s = open_store("/tmp/briefings.json")
    report = s.add_files(["~/Downloads/readouts"])
    s.all(); s.get("3fa9"); s.search("c:HU theme:legal")

Data flows one way: files -> ``store.ingest`` -> ``store.extract`` -> the
TinyDB store (``store.db``) -> ``store.search`` / ``store.export``. Nothing in
this package imports the UI.
"""

from store.db import IngestReport, Store, open_store
from store.document import Document
from store.errors import AmbiguousId, BriefingsError, IngestError, NotFound, StoreError

__all__ = ["AmbiguousId", "BriefingsError", "Document", "IngestError", "IngestReport", "NotFound",
           "Store", "StoreError", "open_store"]
