"""The pages that list conflicts of interest name what each conflict is with: an organisation or one défi."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.organisations.tests.factories import OrganisationFactory
from defis.reviews.models import ConflictOfInterest
from defis.reviews.tests.factories import juror, selection_edition, submitted_defi

pytestmark = pytest.mark.django_db


def test_juror_declares_a_conflict_with_an_organisation_and_finds_it_listed(client: Client) -> None:
    edition = selection_edition()
    dgfip = OrganisationFactory(name="Direction générale des finances publiques")
    submitted_defi(edition, dgfip, title="Simplifier l’impôt")
    seat = juror(edition)
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.post(
        reverse("reviews:declare-conflict", kwargs={"edition_slug": edition.slug}),
        {"organisation": dgfip.pk, "reason": "J’y ai travaillé en 2019"},
        follow=True,
    )

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<li>Direction générale des finances publiques — déclaré (J’y ai travaillé en 2019)</li>" in html


def test_team_jury_page_lists_conflicts_with_an_organisation_and_with_a_defi(client: Client) -> None:
    edition = selection_edition()
    dgfip = OrganisationFactory(name="Direction générale des finances publiques")
    defi = submitted_defi(edition, title="Carte grise en ligne")
    seat = juror(edition, email="jure@exemple.fr")
    ConflictOfInterest.objects.create(
        juror=seat, organisation=dgfip, source=ConflictOfInterest.Source.DECLARED, reason="Ancien poste"
    )
    ConflictOfInterest.objects.create(juror=seat, defi=defi, source=ConflictOfInterest.Source.DECLARED, reason="Auteur")
    client.force_login(ProgrammeTeamFactory())

    response = client.get(reverse("reviews:team", kwargs={"edition_slug": edition.slug}))

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<td>Direction générale des finances publiques</td> <td>déclaré</td> <td>Ancien poste</td>" in html
    assert "<td>Carte grise en ligne</td> <td>déclaré</td> <td>Auteur</td>" in html
