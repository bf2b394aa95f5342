"""Conecta settings, driven by environment variables.

Every knob that differs between a laptop, CI and production is read from the
environment through the small typed helpers below; nothing else varies.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

# Without a key and with debug off, management commands still run (migrate,
# makemigrations, compilemessages need no key) but the server refuses to start:
# see conecta/startup.py, called by wsgi.py and asgi.py (runserver uses wsgi.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "conecta.apps.ConectaConfig",
    "participants.apps.ParticipantsConfig",
    "interventions.apps.InterventionsConfig",
    "workshops.apps.WorkshopsConfig",
    # Depends on conecta and participants only; after the casework apps so its demo
    # data (rights requests, recipients to tell) find their referrals and courses.
    "dataprotection.apps.DataProtectionConfig",
    "placements.apps.PlacementsConfig",
    "followup.apps.FollowupConfig",
]

MIDDLEWARE = [
    "conecta.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "conecta.middleware.NoStoreMiddleware",
    # NUL and other control characters in the query string or a form: the 400 page, before
    # the session or any view touches them (conecta/inputguard.py).
    "conecta.inputguard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Sets request.user.otp_device from the session (the second factor).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "conecta.middleware.UserContextMiddleware",
    # Until the second factor is given (or enrolled) and a manager-set password is changed,
    # every page leads there (conecta/accounts/middleware.py).
    "conecta.accounts.middleware.AccountStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conecta.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conecta.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conecta.context_processors.program",
            ],
        },
    },
]

WSGI_APPLICATION = "conecta.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "conecta.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "conecta.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "conecta.accounts.passwords.ProgramWordsValidator"},
]
# Words no password may contain, besides the commune and the longer words of the program's
# name and municipality (ProgramSettings); compared without accents, case or digit-for-letter swaps.
PASSWORD_PROGRAM_WORDS = ["conecta", "reinicia", "reinsercion"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes. A request renews the expiry when the last renewal
# is older than SESSION_RENEW_SECONDS (conecta.middleware.UserContextMiddleware), so the
# idle limit holds within a minute and a page view does not write the session row each time.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = envint("SESSION_RENEW_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active, a session ends this long after login (conecta.middleware.UserContextMiddleware).
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)

# Brute force (django-axes with the handler in conecta/accounts/lockout.py). Five failures on
# one username, from any addresses, lock that username; twenty failures from one address, over
# any usernames, throttle that address. Either lasts AXES_COOLOFF_TIME after the last counted
# failure (failures while locked do not prolong it, so nobody can keep an account shut by
# hammering it); the manager lifts a username's lock from «Usuarios y roles».
AXES_HANDLER = "conecta.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "conecta.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "conecta.accounts.addresses.client_address"
AXES_ENABLED = envbool("AXES_ENABLED", True)
# The client address behind the README's reverse proxy: how many proxies we trust and the
# header they append to (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for).
# 0 trusts no header and reads the socket address, which is right without a proxy.
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 0)
CLIENT_ADDRESS_HEADER = os.environ.get("DJANGO_CLIENT_ADDRESS_HEADER", "HTTP_X_FORWARDED_FOR")
# Wrong current passwords on the password-change page: after this many within the window the
# session is closed (each one also counts as a failed login for the username's lockout).
PASSWORD_CHANGE_FAILURE_LIMIT = 3
PASSWORD_CHANGE_FAILURE_WINDOW = datetime.timedelta(minutes=15)

# Second factor (django-otp TOTP devices and static recovery codes). Who must use it is decided
# in conecta/permissions.py (requires_second_factor); the others may enrol from their account menu.
OTP_TOTP_ISSUER = "Conecta"
MFA_RECOVERY_CODE_COUNT = 10
# Wrong codes on the verification page before the session is closed (the device also slows
# down repeated failures by itself: 1, 2, 4, 8… seconds).
MFA_FAILURE_LIMIT = 5

LANGUAGE_CODE = "es-cl"
LANGUAGES = [("es-cl", "Español (Chile)"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Santiago"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["conecta.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded documents: scans and photos of signed papers.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_ALLOWED_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
# A request body above this is refused with the 400 page before it is read (conecta/inputguard.py).
# Twice the upload limit, so a file somewhat too large still gets the message next to its field;
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) already bounds everything but the files.
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", 2 * UPLOAD_MAX_BYTES)

# Reverting from the admin would skip the services and the case timeline.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Conecta <no-responder@localhost>")
# Used by the SMTP backend (DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", False)

# Production hardening: active whenever debug is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # A local monitor or the proxy asks for the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Everything is served from our own origin: no CDN, no inline scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Data protection: Ley 19.628 as rewritten by Ley 21.719 (in force from 1 December 2026).
# The rules whose exact reading belongs to the program's lawyer are settings, so they
# change through the environment without touching code.
# Art. 11 (procedure before the controller): a request of access, rectification,
# suppression, opposition or portability is answered within 30 calendar days of its receipt...
DATA_PROTECTION_ANSWER_DAYS = envint("DATA_PROTECTION_ANSWER_DAYS", 30)
# ...and that term may be extended once, for up to the same period, giving the reason.
DATA_PROTECTION_EXTENSION_DAYS = envint("DATA_PROTECTION_EXTENSION_DAYS", 30)
DATA_PROTECTION_MAX_EXTENSIONS = envint("DATA_PROTECTION_MAX_EXTENSIONS", 1)
# Art. 8 ter (temporary blocking) and art. 11: a blocking request is applied within
# 2 business days (Chilean días hábiles: no weekends, no public holidays).
DATA_PROTECTION_BLOCKING_BUSINESS_DAYS = envint("DATA_PROTECTION_BLOCKING_BUSINESS_DAYS", 2)
# How many days before a deadline the manager's home lists a request as due soon.
DATA_PROTECTION_DUE_SOON_DAYS = envint("DATA_PROTECTION_DUE_SOON_DAYS", 7)
# Art. 5 (access) gives the person all their data. Psychological session notes are
# clinical: whether they must be handed over in full (as a clinical record is under
# Ley 20.584, art. 13) is the lawyer's call. Off: the export gives every session's
# facts (date, professional, duration, attendance) and the notes of non-clinical
# sessions, and says that the psychological notes can be asked for in person.
DATA_PROTECTION_EXPORT_CLINICAL_NOTES = envbool("DATA_PROTECTION_EXPORT_CLINICAL_NOTES", False)
# Chilean public holidays by year (business-day deadlines); add each new year's list.
PUBLIC_HOLIDAYS_FILE = Path(os.environ.get("PUBLIC_HOLIDAYS_FILE", BASE_DIR / "conecta" / "data" / "feriados_chile.json"))
# Days (MM-DD) the program does not open although they are legal working days: no
# workshop or course session is scheduled on them (conecta.workdays.is_program_day).
PROGRAM_CLOSED_DAYS = envlist("PROGRAM_CLOSED_DAYS", "12-24,12-31")

# Logs go to stderr (gunicorn and journald collect them). Every line names the
# request id (also sent back as X-Request-ID) and the user id, never form contents.
# Server errors (django.request) are logged with their traceback; with
# DJANGO_ADMINS set they are also e-mailed, without form data or local variables.
ADMINS = [tuple(item.split(":", 1)) for item in envlist("DJANGO_ADMINS", "") if ":" in item]
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
DEFAULT_EXCEPTION_REPORTER_FILTER = "conecta.error_reports.NoFormDataReporterFilter"
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "conecta.logs.RequestContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(user_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_context"], "formatter": "line"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"], "include_html": False},
    },
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "conecta": {"handlers": ["console"], "level": LOG_LEVEL},
        # conecta.security (a child of conecta): logins, lockouts and second-factor events with
        # the username and the client address; never a password or a code.
    },
}

# --- Data protection (Ley 19.628 as replaced by Ley 21.719, in force from 1 December 2026) ---
# Article numbers are those of Ley 19.628 in its text given by Ley 21.719; the
# program's lawyer confirms them and adjusts these values without touching code.

# Admitting a case (diagnosis, intervention) requires an active data-protection
# consent unless the program settings turn the rule off (art. 12: consent; art. 16:
# criminal records and health data are sensitive and need express consent).
# The switch itself lives in ProgramSettings.require_consent_for_admission.

# Legal bases the manager may cite to authorise processing without an active
# consent (art. 13, other sources of lawfulness; art. 20, processing by public
# bodies within their legal functions). Codes are stored; labels are shown.
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

CONECTA_PROCESSING_BASES = [
    ("legal_obligation", _lazy("Cumplimiento de una obligación legal (art. 13)")),
    ("public_function", _lazy("Ejercicio de funciones legales de un órgano público (art. 20)")),
    ("vital_interest", _lazy("Protección de la vida o integridad de la persona o de un tercero (art. 13)")),
    ("legal_claims", _lazy("Formulación, ejercicio o defensa de un derecho ante tribunales (art. 13)")),
]

# How long each kind of record keeps the person's identity before the monthly
# `anonymise_expired` command anonymises it (principle of proportionality, art. 3:
# data are kept only as long as the purpose needs, then suppressed or anonymised). Set by the program's lawyer; years, counted from the date named.
CONECTA_RETENTION = {
    # Closed cases, from the closing date (every case of the person must be past it).
    "closed_case_years": envint("CONECTA_RETENTION_CLOSED_CASE_YEARS", 5),
    # Applications that ended in «no ingresa», from the date of that decision.
    "not_admitted_years": envint("CONECTA_RETENTION_NOT_ADMITTED_YEARS", 2),
    # People registered who never applied, from their registration.
    "no_case_years": envint("CONECTA_RETENTION_NO_CASE_YEARS", 1),
    # Access-log rows (who saw whose file), from the access: the person's name is removed.
    "access_log_years": envint("CONECTA_RETENTION_ACCESS_LOG_YEARS", 5),
    # Finished phone follow-ups of absences and their calls, from the missed date: details cleared.
    "phone_followup_years": envint("CONECTA_RETENTION_PHONE_FOLLOWUP_YEARS", 2),
}
