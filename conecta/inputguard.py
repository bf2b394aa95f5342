"""Refuse requests that no form could have sent, before the session or any view sees them.

PostgreSQL refuses NUL in text (psycopg raises DataError, a 500 on any filter or
save that passes the value on), and the other C0 control characters, which no
one types into a form, make the spreadsheet of an access request impossible to
write once they are stored (openpyxl refuses them). Tab, line feed and carriage
return are ordinary text. Bodies above REQUEST_BODY_MAX_BYTES, and the fields
Django itself bounds (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS),
get the same Spanish 400 page."""

import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

security_log = logging.getLogger("conecta.security")


class ControlCharactersRefused(SuspiciousOperation):
    """Answered by the 400 page (conecta.views.bad_request) with `reason`."""

    reason = _("La dirección o el formulario contiene caracteres de control (por ejemplo, un carácter nulo) "
               "que no pueden guardarse ni buscarse. Revise el texto pegado, quite esos caracteres e "
               "inténtelo de nuevo.")


def _has_control_characters(query_dict):
    return any(CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
               for key, values in query_dict.lists())


def refusal(request):
    """The exception that refuses this request, or None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.REQUEST_BODY_MAX_BYTES:
        # Django bounds the form fields but would stream a file of any size to disk.
        return RequestDataTooBig("request body above REQUEST_BODY_MAX_BYTES")
    try:
        bad = (CONTROL_CHARACTERS.search(request.path) or _has_control_characters(request.GET)
               or (request.method == "POST" and _has_control_characters(request.POST)))
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as error:
        return error
    if bad:
        return ControlCharactersRefused("control characters in the path, query string or form")
    return None


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        error = refusal(request)
        if error is not None:
            from conecta.views import bad_request

            # One line, no traceback: a forged request is not a server error.
            security_log.warning("request.refused %s %s: %s", request.method, request.path.encode("unicode_escape")
                                 .decode("ascii")[:200], error)
            return bad_request(request, error)
        return self.get_response(request)
