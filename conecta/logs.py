"""Every log record names its request and its user."""

import contextvars
import logging

# The request being served, for log records written anywhere below the view
# (set by conecta.middleware). Kept free of Django imports: logging is
# configured before the apps are loaded.
current_request_id = contextvars.ContextVar("request_id", default="-")
current_user_id = contextvars.ContextVar("user_id", default="-")


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (\"-\" outside a request)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        record.user_id = current_user_id.get()
        return True
