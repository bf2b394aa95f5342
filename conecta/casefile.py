"""Tabs of the case file (ficha) that apps above `participants` contribute.

The case file belongs to `participants`, which knows nothing of the apps
built on it; those register a tab here in AppConfig.ready(). A tab declares
the access-log section it shows, and appears only to users who may read that
section (conecta.permissions.visible_sections)."""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class CaseFileTab:
    key: str
    label: str
    section: str
    template: str
    context: Callable
    order: int


_TABS = []


def register_tab(*, key, label, section, template, order=50):
    """Decorate `context(*, request, person, cases) -> dict`; the dict may hold `count` for the badge."""

    def decorator(func):
        _TABS.append(CaseFileTab(key, label, section, template, func, order))
        return func

    return decorator


def tabs_for(*, request, person, cases, sections):
    shown = []
    for tab in sorted(_TABS, key=lambda t: t.order):
        if tab.section in sections:
            shown.append({"key": tab.key, "label": tab.label, "template": tab.template, "section": tab.section,
                          "data": tab.context(request=request, person=person, cases=cases)})
    return shown
