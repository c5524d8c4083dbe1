"""Tables of docs/guidelines.md that are generated from the models.

The guidelines hold the prose; the label sets and the core roles live in
:mod:`kimputin_ds.models`. ``scripts/generate_guidelines.py`` fills the
generated blocks, and a test fails when they are stale.
"""

from __future__ import annotations

from kimputin_ds.card import fill_blocks
from kimputin_ds.models import CORE_ROLES, EventType, labels

__all__ = ["core_roles_table", "fill_guidelines"]


def core_roles_table() -> str:
    """The Markdown table of core roles per event type.

    >>> print(core_roles_table().splitlines()[3])
    | `visit` | agent; destination |
    """
    lines = ["| event type | core roles |", "|---|---|"]
    for event_type in labels(EventType):
        slots = CORE_ROLES.get(event_type, ())
        text = "; ".join(" or ".join(slot) for slot in slots) or "none"
        lines.append(f"| `{event_type}` | {text} |")
    return "\n".join(lines) + "\n"


def fill_guidelines(text: str) -> str:
    """The guidelines text with every generated block refreshed."""
    return fill_blocks(text, {"core_roles": core_roles_table()})
