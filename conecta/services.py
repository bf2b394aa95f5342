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
    update_change_reason(instance, str(reason))
    return instance


@transaction.atomic
def reference_save(*, instance, actor, reason, version=None):
    """Create or update reference data (institutions, cohorts, program settings).

    Updating a versioned record needs the `version` its form loaded: a save made
    on a stale copy is refused (StaleEditError) instead of overwriting."""
    if isinstance(instance, VersionedModel) and not instance._state.adding:
        check_version(instance, version=version)
    return save_with_history(instance, actor=actor, reason=reason)


def access_log_record(*, user, subject, sections, path):
    """Write one access-log row per case-file section the user was shown."""
    subject_type = ContentType.objects.get_for_model(subject)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            subject_type=subject_type,
            subject_id=subject.pk,
            subject_label=str(subject)[:200],
            section=section,
            path=path[:300],
        )
        for section in sorted(sections)
    )


def user_unlock(*, username, actor):
    """Lift a brute-force lockout (django-axes) and say so in the log."""
    from axes.utils import reset

    removed = reset(username=username)
    logger.warning("Lockout of %s lifted by %s (%s attempt records removed)", username, actor.username, removed)
    return removed
