import secrets

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from conecta import permissions


class CapabilityRequiredMixin:
    """403 unless `capability(user)` holds; anonymous users never get here
    (LoginRequiredMiddleware sends them to the login page)."""

    capability = staticmethod(permissions.is_staff_member)

    def dispatch(self, request, *args, **kwargs):
        if not self.capability(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of the queryset; out-of-range page numbers give the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def id_param(value):
    """A database id from a query parameter, or None; never raises.

    `str.isdigit()` alone is not enough: "²" is a digit to Python but not to int()."""
    if value and value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None


# Search text (a name, a RUT) is personal data: it travels in a POST body and the
# page URL carries only a random key to it, so it never reaches proxy or server logs.
SEARCHES_SESSION_KEY = "conecta_searches"
SEARCHES_KEPT = 20


def stash_search(request, text):
    """Keep `text` in the session; return the key a URL may carry instead."""
    searches = dict(request.session.get(SEARCHES_SESSION_KEY, {}))
    key = secrets.token_urlsafe(6)
    searches[key] = text
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def stashed_search(request, key):
    """The text stashed under `key`, or "" (unknown, expired or another session's key)."""
    if not key:
        return ""
    return request.session.get(SEARCHES_SESSION_KEY, {}).get(key, "")
