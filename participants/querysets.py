"""Querysets narrowed to what a user may see (HOUSE_STYLE: `visible_to(user)`).

A blocked person (bloqueo del tratamiento, Ley 21.719) is out of every list,
search and loader for everyone but the manager, so a page reached through
these querysets answers 404 by construction."""

from django.db import models

from conecta import permissions


def visible_filter(user, path=""):
    """The Q a queryset of `path`-related rows needs so blocked people stay out for `user`.

    `path` leads from the model to its Participant ("" for Participant itself,
    "participant" for Case, "case__participant" for case records). No user
    (commands, internal reads) counts as not the manager."""
    if user is not None and permissions.can_see_blocked_people(user):
        return models.Q()
    return models.Q(**{f"{path}__blocked_on__isnull" if path else "blocked_on__isnull": True})


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_filter(user))

    def not_blocked(self):
        return self.filter(blocked_on__isnull=True)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visible_filter(user, "participant"))
