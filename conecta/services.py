import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from simple_history.utils import update_change_reason

from conecta.concurrency import VersionedModel, check_version
from conecta.models import AccessLog

logger = logging.getLogger("conecta")


def save_with_history(instance, *, actor, reason):
    """Save a history-tracked model, recording who did it and why.

    The actor is set explicitly so commands, imports and tests leave the same
    trail as requests do."""
    instance._history_user = actor
    instance.save()
    update_change_reason(instance, history_reason(reason))
    return instance


# simple-history keeps the change reason in a 100-character column; a longer reason
# (a block's written reason, say) is cut there rather than refused by PostgreSQL.
HISTORY_REASON_MAX = 100


def history_reason(reason):
    text = " ".join(str(reason).split())
    return text if len(text) <= HISTORY_REASON_MAX else text[:HISTORY_REASON_MAX - 1] + "…"


@transaction.atomic
def reference_save(*, instance, actor, reason, version=None):
    """Create or update reference data (institutions, cohorts, program settings).

    Updating a versioned record needs the `version` its form loaded: a save made
    on a stale copy is refused (StaleEditError) instead of overwriting."""
    if isinstance(instance, VersionedModel) and not instance._state.adding:
        check_version(instance, version=version)
    return save_with_history(instance, actor=actor, reason=reason)


def access_log_record(*, user, subject, sections, path):
    """One access-log row for one page view: who saw which sections of whose file."""
    access_log_record_many(user=user, subjects=[subject], sections=sections, path=path)


def access_log_record_many(*, user, subjects, sections, path):
    """A page that shows several people (a list): one row per person shown, written in
    one query whatever their number, so "who saw this person's data" stays one
    indexed lookup for the log page and for the access requests of Ley 21.719."""
    people = {}
    for subject in subjects:
        people.setdefault((type(subject), subject.pk), subject)
    if not people:
        return
    joined = AccessLog.join_sections(sections)
    content_types = ContentType.objects.get_for_models(*{model for model, _pk in people})
    AccessLog.objects.bulk_create(
        AccessLog(user=user, subject_type=content_types[model], subject_id=pk,
                  subject_label=str(subject)[:200], sections=joined, path=path[:300])
        for (model, pk), subject in people.items()
    )


def user_unlock(*, username, actor):
    """Lift a brute-force lockout (django-axes) and say so in the log."""
    from axes.utils import reset

    removed = reset(username=username)
    logger.warning("Lockout of %s lifted by %s (%s attempt records removed)", username, actor.username, removed)
    return removed
