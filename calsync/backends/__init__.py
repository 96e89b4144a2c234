"""Calendar backends behind one small interface (:mod:`calsync.backends.base`).

``memory`` keeps a calendar in memory with Google's rules; ``google`` talks to Google Calendar and is the only
module that imports ``googleapiclient``; ``google_auth`` obtains and stores credentials. Import them explicitly:
this package imports none of them, so ``calsync ics`` never loads Google's client.
"""

from __future__ import annotations

from .base import Backend, EventContent, RemoteEvent

__all__ = ["Backend", "EventContent", "RemoteEvent"]
