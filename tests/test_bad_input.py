"""Generated values sent to every form and query-string filter never give a 500 or a slow answer.

For each page of the access matrix (tests/test_access_matrix.py), as a role that may open
it, the page is fetched, its forms are read from the HTML (field names, the options of each
select, the values of hidden fields) and hypothesis sends a few generated requests to each
form: text with NUL and other control characters, any unicode, huge and negative numbers,
dates in odd formats, empty values, mixed with the page's own options so that some requests
get past validation into the services. A form posting elsewhere (a button of a detail page)
is tried once, from the first page that shows it. Every request must answer something other
than 500 (the test client re-raises the view's exception) within REQUEST_SECONDS.

Kept small on purpose: BAD_INPUT_EXAMPLES (3) examples per form, strings of at most 60
characters, no example database, no shrinking (a failure prints the request as sent), one
set of standing objects for the whole run and a rolled-back savepoint per page, so what one
page's requests change never leaks into the next. Raise the examples for a deeper local run:
`BAD_INPUT_EXAMPLES=25 .venv/bin/pytest -n 0 tests/test_bad_input.py`."""

import collections
import datetime
import os
import time
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.roles import ANON, ROLES
from tests.test_access_matrix import ROWS, objects  # noqa: F401  (the standing objects fixture)

EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "3"))
REQUEST_SECONDS = float(os.environ.get("BAD_INPUT_REQUEST_SECONDS", "5"))
MAX_TEXT = 60

BAD_INPUT = settings(
    max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.differing_executors],
)

# Files, not pages: nothing to fill in, and rendering them (PDF, spreadsheets) is slow.
NOT_PAGES = ("_pdf", "_file", "_json", "_xlsx", "_sheet", "workshop_certificate", "enrolment_certificate",
             "healthz")


def _dates():
    def spellings(day):
        return st.sampled_from([day.isoformat(), day.strftime("%d-%m-%Y"), day.strftime("%d/%m/%y"),
                                day.strftime("%Y%m%d"), f"{day.isoformat()}T25:61"])

    return st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).flatmap(spellings)


NASTY = st.one_of(
    st.just(""),
    st.text(max_size=MAX_TEXT),
    st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x20), max_size=8),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([str(2**63), str(2**64), "99999999999999999999", "-1", "0", "1e9999", "NaN", "inf", "1.5",
                     "٣", "²", " 7 ", "0x10", "2026-02-30", "0000-00-00", "24:00", "99:99", "2026-13-01"]),
    _dates(),
)
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["doc.pdf", "foto.PNG", "x.exe", "sin-extension", "a" * 50 + ".pdf", "ñandú.jpg"]),
    st.sampled_from([b"", b"%PDF-1.4 test", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"]) | st.binary(max_size=MAX_TEXT),
)


class Field:
    def __init__(self, name, kind):
        self.name, self.kind, self.values, self.multiple = name, kind, [], False


class FormReader(HTMLParser):
    """The forms of a page: method, action and fields (with the values the page offers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def _field(self, name, kind):
        fields = self._form["fields"]
        if name in fields:
            fields[name].multiple = fields[name].multiple or kind == "checkbox"
        else:
            fields[name] = Field(name, kind)
        return fields[name]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                          "fields": {}}
            self.forms.append(self._form)
            return
        name = attrs.get("name")
        if self._form is None or not name or name == "csrfmiddlewaretoken":
            return
        if tag in ("input", "button"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            field = self._field(name, kind)
            field.values.append(attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select = self._field(name, "select")
            self._select.multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._select.values.append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._field(name, "textarea")
            self._textarea.values.append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.values[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def plausible(field):
    """A value the page would send: its own value or option, or what a person would type."""
    offered = [value for value in field.values if value]
    if field.kind == "file":
        return FILES
    if field.kind in ("select", "radio", "checkbox", "hidden", "submit") or offered:
        single = st.sampled_from(offered or [""])
    elif field.kind == "date":
        single = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2027, 12, 31)).map(str)
    elif field.kind == "time":
        single = st.sampled_from(["09:00", "10:30", "16:45"])
    elif field.kind == "number":
        single = st.integers(min_value=0, max_value=40).map(str)
    elif field.kind == "email":
        single = st.just("persona@example.cl")
    else:
        single = st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáé ", min_size=1, max_size=30)
    return st.lists(single, max_size=3) if field.multiple else single


def nasty(field):
    if field.kind == "file":
        return FILES
    return st.lists(NASTY, max_size=3) if field.multiple else NASTY


@st.composite
def form_values(draw, fields):
    """What the page would send, with up to three fields replaced by generated bad values, so
    that some requests pass validation everywhere else and reach the services."""
    values = {name: draw(plausible(field)) for name, field in fields.items()}
    if fields:
        for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True)):
            values[name] = draw(nasty(fields[name]))
    return values


def targets():
    """(row name, url builder, role) of each page some role (or only a visitor) opens with a 200."""
    chosen = []
    for name, builder, expected, anon in ROWS:
        if name.endswith(NOT_PAGES) or name.split(":")[0].endswith(NOT_PAGES):
            continue
        role = next((r for r in ROLES if expected.get(r) == 200), None)
        if role is None and anon == 200:
            role = ANON
        if role is not None:
            chosen.append((name, builder, role))
    return chosen


STATUSES = collections.Counter()


def timed(send, values, described):
    started = time.perf_counter()
    response = send(values)
    elapsed = time.perf_counter() - started
    status = response.status_code
    STATUSES[status] += 1
    assert status != 500, described
    assert elapsed < REQUEST_SECONDS, f"{described}: {elapsed:.1f} s"
    return status


def fuzz(send, strategy, described):
    @BAD_INPUT
    @given(values=strategy)
    def check(values):
        note(described)  # printed with the failing values, also when the view raised
        timed(send, values, f"{described} {values!r}")

    check()


@pytest.mark.django_db
def test_generated_values_never_give_a_500_or_a_slow_answer(objects):  # noqa: F811
    logout = reverse("logout")
    tried = set()
    pages = 0
    for name, builder, role in targets():
        url = builder(objects)
        client = Client()
        sid = transaction.savepoint()
        try:
            if role != ANON:
                client.force_login(objects["users"][role], backend="django.contrib.auth.backends.ModelBackend")
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            reader = FormReader()
            reader.feed(response.content.decode())
            path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))

            # The page's own query parameters and its filters (a GET form), plus the page number.
            filters = {key: Field(key, "text") for key in [*query, "page"]}
            for key, value in query.items():
                filters[key].values.append(value)
            for form in reader.forms:
                if form["method"] == "get" and urljoin(url, form["action"]).split("?")[0] == urljoin(url, path):
                    filters.update(form["fields"])
            key = ("get", path, frozenset(filters))
            if key not in tried:
                tried.add(key)
                fuzz(lambda values, path=path: client.get(path, values), form_values(filters),
                     f"{name} as {role}: GET {path}")

            for form in reader.forms:
                if form["method"] != "post":
                    continue
                action = urljoin(url, form["action"] or url)
                if urlsplit(action).path == logout:
                    continue
                key = ("post", action, frozenset(form["fields"]))
                if key in tried:
                    continue
                tried.add(key)
                fuzz(lambda values, action=action: client.post(action, values), form_values(form["fields"]),
                     f"{name} as {role}: POST {action}")
        finally:
            # What the requests changed is undone; the next page starts from the standing objects.
            transaction.savepoint_rollback(sid)
    print(f"{pages} pages, {len(tried)} forms and filters, answers by status: {dict(sorted(STATUSES.items()))}")
    assert pages > 80, f"only {pages} pages were reached"
