"""WSGI entry point (gunicorn, and runserver through WSGI_APPLICATION)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")

application = get_wsgi_application()

from conecta.startup import require_secret_key  # noqa: E402

require_secret_key()
