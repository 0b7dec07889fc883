"""The store: SQLAlchemy async schema, seeding and the query functions the specialists' tools call."""

from specialists.store.database import Store, open_store

__all__ = ["Store", "open_store"]
