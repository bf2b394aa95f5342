"""Reads of the privacy page."""

from dataprotection.models import PrivacyNotice


def privacy_notice_current():
    return PrivacyNotice.objects.select_related("created_by").order_by("-version").first()


def privacy_notice_versions():
    """Every published version, newest first, without their texts."""
    return PrivacyNotice.objects.only("version", "published_on").order_by("-version")
