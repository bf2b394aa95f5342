"""ASGI entry point (gunicorn, and runserver through WSGI_APPLICATION)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")

application = get_asgi_application()

from conecta.startup import require_secret_key  # noqa: E402

require_secret_key()
