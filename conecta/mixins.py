import secrets

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.functional import cached_property

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


def paginate(request, queryset, per_page=PAGE_SIZE, cap=None):
    """A page of the queryset; out-of-range page numbers give the last page.

    With `cap`, lists of the program's whole history count at most `cap` rows (the count
    would otherwise read every row ever recorded): `page.paginator.capped` says so and the
    list asks for a filter to see further back."""
    paginator = CappedPaginator(queryset, per_page, cap=cap) if cap else Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


HISTORY_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, *args, cap, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap, self.capped = cap, False

    @cached_property
    def count(self):
        counted = self.object_list[: self.cap + 1].count()
        if counted > self.cap:
            self.capped = True
            return self.cap
        return counted


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
