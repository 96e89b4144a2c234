"""Keep a calendar in step with the agenda: :func:`make_plan` decides, :func:`apply` writes, :func:`push` does both."""

from __future__ import annotations

from .apply import Summary, apply, push
from .plan import Action, EventOptions, Plan, content_hash, desired_events, event_id, make_plan

__all__ = [
    "Action",
    "EventOptions",
    "Plan",
    "Summary",
    "apply",
    "content_hash",
    "desired_events",
    "event_id",
    "make_plan",
    "push",
]
