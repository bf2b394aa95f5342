"""Role home pages are built from panels that each app registers.

The foundation layer knows no app above it: `participants`, and later
`interventions`, `workshops`… register the panels they own in their
AppConfig.ready(), and the home view renders those of the requested role.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Panel:
    roles: frozenset
    template: str
    context: Callable
    order: int


_PANELS = []


def register_panel(*, roles, template, order=50):
    def decorator(func):
        _PANELS.append(Panel(frozenset(roles), template, func, order))
        return func

    return decorator


def panels_for(*, request, role):
    chosen = sorted((p for p in _PANELS if role in p.roles), key=lambda p: p.order)
    return [(panel.template, panel.context(request=request, role=role)) for panel in chosen]
