"""Refuse requests carrying characters no field may hold, before any view sees them.

PostgreSQL refuses NUL in text (psycopg raises DataError, a 500 on any filter or
save that passes the value on), and the other C0 control characters, which no
one types into a form, make the spreadsheet of an access request impossible to
write once they are stored (openpyxl refuses them). Tab, line feed and carriage
return are ordinary text."""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ControlCharactersRefused(SuspiciousOperation):
    """Answered by the 400 page (conecta.views.bad_request) with `reason`."""

    reason = _("La dirección o el formulario contiene caracteres de control (por ejemplo, un carácter nulo) "
               "que no pueden guardarse ni buscarse. Revise el texto pegado, quite esos caracteres e "
               "inténtelo de nuevo.")


def _has_control_characters(query_dict):
    return any(CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
               for key, values in query_dict.lists())


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            # Django bounds the form fields but streams any size of file to disk.
            raise RequestDataTooBig("request body above REQUEST_BODY_MAX_BYTES")
        # request.POST also enforces DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS: an oversized
        # body raises a SuspiciousOperation here too, which Django answers with the 400 page.
        bad = CONTROL_CHARACTERS.search(request.path) or _has_control_characters(request.GET) or (
            request.method == "POST" and _has_control_characters(request.POST))
        if bad:
            # Django logs it on the django.security logger and answers with the 400 page.
            raise ControlCharactersRefused("control characters in the query string or form")
        return self.get_response(request)
