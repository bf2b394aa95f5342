from django.contrib.contenttypes.models import ContentType

from conecta.models import AccessLog


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
