"""A Django superuser is the programme team and no more: Django's admin as usual, but on an object the
rules decide, so a superuser neither edits an administration's défi nor reviews as a juror."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD
from defis.challenges.models import Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member
from defis.reviews.models import Assignment
from defis.reviews.tests.factories import assign, juror, selection_edition, submitted_defi

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("admin@numerique.gouv.fr", PASSWORD)


@pytest.fixture
def draft() -> Defi:
    defi: Defi = DefiFactory(title="Brouillon de la DGFIP")
    CoEditorFactory(defi=defi, user=approved_member(defi.organisation))
    return defi


def test_superuser_reaches_the_admin_and_its_model_pages(client: Client, superuser: User) -> None:
    client.force_login(superuser)

    statuses = [
        client.get(reverse("admin:index")).status_code,
        client.get(reverse("admin:challenges_defi_changelist")).status_code,
    ]

    assert statuses == [200, 200]
    assert (superuser.is_programme_team, superuser.has_perm("challenges.change_defi")) == (True, True)


def test_superuser_sees_a_defi_as_the_team_but_may_not_edit_it(client: Client, superuser: User, draft: Defi) -> None:
    client.force_login(superuser)

    detail = client.get(reverse("challenges:detail", args=[draft.pk]))
    edit = client.get(reverse("challenges:edit", args=[draft.pk]))
    submit = client.post(reverse("challenges:submit", args=[draft.pk]))

    assert (detail.status_code, edit.status_code, submit.status_code) == (200, 403, 403)
    assert (superuser.has_perm("challenges.view_defi", draft), superuser.has_perm("challenges.change_defi", draft)) == (
        True,
        False,
    )
    assert Defi.objects.get(pk=draft.pk).status == Defi.Status.DRAFT


def test_superuser_does_not_review_a_defi_assigned_to_a_juror(client: Client, superuser: User) -> None:
    edition = selection_edition()
    defi = submitted_defi(edition)
    assignment: Assignment = assign(juror(edition), defi)
    client.force_login(superuser)

    response = client.get(reverse("reviews:review", kwargs={"edition_slug": edition.slug, "defi_pk": defi.pk}))

    assert response.status_code == 404
    assert superuser.has_perm("reviews.review_defi", assignment) is False


def test_an_inactive_superuser_has_no_permission(superuser: User, draft: Defi) -> None:
    superuser.is_active = False

    assert (superuser.has_perm("challenges.view_defi", draft), superuser.has_perm("challenges.change_defi")) == (
        False,
        False,
    )
