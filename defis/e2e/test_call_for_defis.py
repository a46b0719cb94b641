"""An agent answers a call for défis in Chromium: drafts, reloads, completes, submits, reads the receipt; the
draft survives a lost session; axe-core finds nothing on any page of the way."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD
from defis.challenges.models import Defi
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.e2e.conftest import AxeCheck, CspCheck
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition, Phase, Programme, Question

STATE_KINDS = sorted(Organisation.STATE_KINDS)


@pytest.fixture
def edition() -> Edition:
    """An edition with the rules of Commando UX 2020 whose call for défis is open now."""
    now = timezone.now()
    observatory = ObservatoryEdition.objects.create(slug="2019-06", label="Juin 2019")
    demarche = Demarche.objects.create(
        observatory_id=823,
        title="Déclaration impôt sur le revenu",
        administration="Direction générale des finances publiques",
    )
    IndicatorSet.objects.create(
        edition=observatory,
        demarche=demarche,
        in_top250=True,
        title=demarche.title,
        volume=37_239_908,
        satisfaction_label="83%",
    )
    programme = Programme.objects.create(slug="commando-ux", name="Commando UX")
    edition = Edition.objects.create(
        programme=programme,
        slug="commando-ux-2020",
        name="Commando UX 2020",
        year=2020,
        is_published=True,
        observatory_edition=observatory,
        allowed_kinds=STATE_KINDS,
        requires_demarche=True,
        requires_top250=True,
        full_funding_kinds=STATE_KINDS,
        profiles_offered=["designer", "ux_engineer", "developer"],
        positions_per_defi_max=3,
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=8),
    )
    # The edition's own questions, one of each kind the demo uses.
    Question.objects.create(
        edition=edition,
        position=1,
        kind=Question.Kind.NUMBER,
        required=True,
        label="Combien d’usagers seront concernés chaque année ?",
    )
    Question.objects.create(
        edition=edition,
        position=2,
        kind=Question.Kind.CHOICE,
        required=True,
        label="Quel temps l’équipe interne consacrera-t-elle au défi ?",
        choices=["Moins d’un jour par semaine", "1 à 2 jours par semaine"],
    )
    Question.objects.create(
        edition=edition, position=3, kind=Question.Kind.FILE, label="Document complémentaire (facultatif)"
    )
    return edition


@pytest.fixture
def agent() -> User:
    """An agent of a central administration, accepted as a member, with a verified address."""
    organisation = Organisation.objects.create(
        slug="dgfip", name="Direction générale des finances publiques", kind=Organisation.Kind.CENTRAL_ADMINISTRATION
    )
    user = User.objects.create_user(
        email="camille.roux@dgfip.gouv.fr", password=PASSWORD, first_name="Camille", last_name="Roux"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, organisation=organisation, status=Membership.Status.APPROVED)
    return user


def sign_in(page: Page, user: User, next_url: str) -> None:
    page.goto(f"/compte/login/?next={next_url}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")


def wait_for_autosave(page: Page) -> None:
    expect(page.locator("#defi-autosave-status [data-saved]")).to_contain_text("Brouillon enregistré à")


def test_agent_drafts_reloads_completes_submits_and_reads_the_receipt(  # type: ignore[no-untyped-def]
    page: Page, axe_check: AxeCheck, csp_check: CspCheck, edition: Edition, agent: User
):
    sign_in(page, agent, "/defis/")
    expect(page.locator("h1")).to_have_text("Mes défis")
    axe_check(page)

    page.get_by_role("link", name="Proposer un défi à Commando UX 2020").click()
    expect(page.locator("h1")).to_have_text("Proposer un défi à Commando UX 2020")
    axe_check(page)
    page.get_by_label("Titre du défi").fill("Simplifier la déclaration de revenus")
    page.get_by_role("button", name="Créer le brouillon").click()

    expect(page.locator("h1")).to_have_text("Modifier le défi")
    page.wait_for_load_state("networkidle")
    axe_check(page)
    csp_check(page)
    page.get_by_label("Résumé").fill("Moins d’erreurs pour les usagers.")
    page.get_by_label("Le problème et ses usagers").fill("Les usagers se trompent de case.")
    wait_for_autosave(page)

    page.reload()
    expect(page.get_by_label("Résumé")).to_have_value("Moins d’erreurs pour les usagers.")
    expect(page.get_by_label("Le problème et ses usagers")).to_have_value("Les usagers se trompent de case.")
    expect(page.locator("#defi-draft-restore")).to_be_hidden()  # saved: nothing to offer back

    page.get_by_label("Rechercher une démarche de l’Observatoire").fill("revenu")
    expect(page.locator("#demarche-results")).to_contain_text("1 démarche trouvée")
    page.get_by_role("button", name="Choisir cette démarche").click()
    expect(page.get_by_label("Démarche en ligne améliorée par le défi")).to_have_value("823")
    wait_for_autosave(page)
    expect(page.locator("#demarche-current")).to_contain_text("Dans le top 250 de l’Observatoire (Juin 2019).")
    page.get_by_label("Impact attendu").fill("Deux fois moins d’appels.")
    page.get_by_label("Portage interne").fill("Claire Dupont, directrice générale adjointe")
    page.get_by_label("Équipe et mentors").fill("Une cheffe de produit et deux inspecteurs.")
    page.get_by_label("designer UX/UI").check(force=True)  # the DSFR draws its own box over it
    page.get_by_label("Nombre de postes").fill("2")
    page.get_by_label("Plan d’accessibilité").fill("Audit RGAA en septembre.")
    page.get_by_label("Combien d’usagers seront concernés chaque année ?").fill("1500000")
    page.get_by_label("1 à 2 jours par semaine").check(force=True)
    wait_for_autosave(page)
    expect(page.locator("#defi-checks")).to_contain_text("prêt à soumettre")
    axe_check(page)

    page.get_by_role("button", name="Soumettre le défi").click()

    expect(page.locator("h1")).to_have_text("Récépissé de dépôt")
    expect(page.locator("main")).to_contain_text("Simplifier la déclaration de revenus")
    expect(page.get_by_role("button", name="Imprimer le récépissé")).to_be_visible()
    axe_check(page)
    csp_check(page)
    defi = Defi.objects.get()
    assert (defi.status, defi.demarche.observatory_id, defi.positions_count) == (Defi.Status.SUBMITTED, 823, 2)
    assert {answer.question.position: answer.value for answer in defi.answers.all()} == {
        1: 1500000,
        2: "1 à 2 jours par semaine",
    }

    page.get_by_role("link", name="Retour au défi").click()
    expect(page.locator("h1")).to_have_text("Simplifier la déclaration de revenus")
    axe_check(page)


def test_text_typed_after_the_session_expired_is_offered_back_after_signing_in(  # type: ignore[no-untyped-def]
    page: Page, axe_check: AxeCheck, edition: Edition, agent: User
):
    defi = Defi.objects.create(
        edition=edition, organisation=agent.memberships.get().organisation, title="Déclaration", created_by=agent
    )
    defi.coeditors.create(user=agent)
    edit = f"/defis/{defi.pk}/modifier/"
    sign_in(page, agent, edit)

    page.context.clear_cookies()  # the session expires while the agent types
    page.get_by_label("Le problème et ses usagers").fill("Texte tapé hors session.")
    expect(page.locator("#defi-autosave-status")).to_contain_text(
        "Brouillon non enregistré : la connexion ou votre session a été perdue."
    )
    defi.refresh_from_db()
    assert defi.problem == ""

    sign_in(page, agent, edit)
    notice = page.locator("#defi-draft-restore")
    expect(notice).to_be_visible()
    axe_check(page)
    notice.get_by_role("button", name="Restaurer mon texte").click()
    expect(page.get_by_label("Le problème et ses usagers")).to_have_value("Texte tapé hors session.")
    wait_for_autosave(page)
    defi.refresh_from_db()
    assert defi.problem == "Texte tapé hors session."
    assert re.fullmatch(r"\d+", str(defi.version))
