import ipaddress

from django.conf import settings


def _valid(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request):
    """The address of the person at the other end, as the trusted proxies saw it.

    Each proxy appends the address it received the request from to the header
    (X-Forwarded-For), so with N trusted proxies the client is the N-th entry from
    the right; anything further left was written by the client and is ignored.
    With no trusted proxy (the default) the socket address is the client."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return _valid(remote) or remote or None
    entries = [entry for entry in request.META.get(settings.CLIENT_ADDRESS_HEADER, "").split(",") if entry.strip()]
    if not entries:
        return _valid(remote) or remote or None
    # Fewer entries than proxies means the request skipped a proxy: trust only what is there.
    candidate = entries[-count] if len(entries) >= count else entries[0]
    return _valid(candidate) or _valid(remote) or remote or None
