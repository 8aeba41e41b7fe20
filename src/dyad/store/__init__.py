"""Store stage: the knowledge base, behind one object through which all SQL goes."""

from dyad.store.sqlite import Store

__all__ = ["Store", "open_store"]


def open_store(location: str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``."""
    return Store(location)
