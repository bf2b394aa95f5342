import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from conecta.logs import current_request_id, current_user_id

# A proxy's request id is reused only if it looks like one (it ends up in logs).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

security_log = logging.getLogger("conecta.security")


class ContentSecurityPolicyMiddleware:
    """Send the CSP header (Django 5.2 has no built-in CSP support)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID when it sends a sane one),
    return it in the response and make it, and the user id, available to logging."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        user_token = current_user_id.set("-")
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
            current_user_id.reset(user_token)
        response["X-Request-ID"] = request.id
        return response


class UserContextMiddleware:
    """After authentication: the user id for log records, the absolute session
    lifetime (SESSION_ABSOLUTE_SECONDS) on top of the idle limit, and the renewal of
    the idle limit at most once every SESSION_RENEW_SECONDS."""

    SESSION_KEY = "conecta_login_at"
    RENEWED_KEY = "conecta_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current_user_id.set(str(user.pk))
            started = request.session.get(self.SESSION_KEY)
            now = time.time()
            if started is None:
                request.session[self.SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                security_log.info("Session of user %s ended: absolute lifetime reached", user.pk)
                logout(request)
                messages.info(request, _("Su sesión terminó porque se alcanzó la duración máxima. "
                                         "Vuelva a ingresar."))
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                # Changing the session saves it, and a save moves its expiry SESSION_COOKIE_AGE ahead.
                request.session[self.RENEWED_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and files are never kept by the browser or a proxy: nearly all of them
    carry personal data. Static files (WhiteNoise, before this middleware) keep
    their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
