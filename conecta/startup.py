from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key():
    """Refuse to serve requests with debug off and no DJANGO_SECRET_KEY."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own, vaguer "must not be empty"
        key = ""
    if not key:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
