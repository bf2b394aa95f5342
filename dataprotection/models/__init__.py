"""Data-protection models, one module per area (rights requests, breaches, privacy page)."""

from dataprotection.models.breaches import SecurityBreach  # noqa: F401
from dataprotection.models.privacy import PrivacyNotice  # noqa: F401
from dataprotection.models.requests import RecipientNotice, RightsRequest, RightsRequestEvent  # noqa: F401
