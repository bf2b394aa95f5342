"""Reads shared by every app above the foundation."""

from django.contrib.auth import get_user_model

from conecta import permissions


def team_professionals():
    """Active team members holding a professional role: agendas, plan responsibles,
    workshop facilitators and the professional filters of lists."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name__in=permissions.PROFESSIONAL_ROLES)
        .distinct().order_by("first_name", "last_name", "username")
    )
