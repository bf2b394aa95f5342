"""Main-menu entries that apps register, like the home panels (conecta/home.py).

The layout knows no app above the foundation; each app adds its entries in
AppConfig.ready() with the capability that shows them."""

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable
    order: int
    group: str


_ITEMS = []


def register_nav(*, label, url_name, allowed, order=50, group=""):
    """`group` gathers entries under one dropdown (e.g. «Talleres»); empty means a top-level link."""
    _ITEMS.append(NavItem(label, url_name, allowed, order, group))


def nav_for(user):
    """[(group_label, [(label, url)])] in menu order; a group of '' is a plain link."""
    groups = {}
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.allowed(user):
            groups.setdefault(item.group, []).append((item.label, reverse(item.url_name)))
    return list(groups.items())


def current_url(path, urls):
    """The menu URL that marks the page at `path` as its section: the longest one that `path`
    starts with («/talleres/12/» is in «/talleres/»), or None."""
    matches = [url for url in urls if url != "/" and path.startswith(url)]
    return max(matches, key=len) if matches else None


_PAGE_INCLUDES = []


def register_page_include(*, template, allowed):
    """A template every page renders at the end of <body> for users `allowed(user)` lets through
    (e.g. the arrival notices of the agenda), so the layout names no app above the foundation."""
    _PAGE_INCLUDES.append((template, allowed))


def page_includes_for(user):
    return [template for template, allowed in _PAGE_INCLUDES if allowed(user)]


_FOOTER_LINKS = []


def register_footer_link(*, label, url_name):
    """A link every page's footer shows, to everyone, signed in or not (e.g. the privacy page)."""
    _FOOTER_LINKS.append((label, url_name))


def footer_links():
    return [(label, reverse(url_name)) for label, url_name in _FOOTER_LINKS]
