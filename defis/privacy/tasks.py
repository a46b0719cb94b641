from django_tasks import task


@task()
def apply_retention_task(*, edition_id: int) -> None:
    """Apply the edition's retention policy if it is due; idempotent (see services.apply_retention)."""
    from defis.privacy.services import apply_retention  # services import this module to enqueue
    from defis.programmes.models import Edition

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is not None:
        apply_retention(edition=edition)
