"""The programme team configures a new edition mirroring Commando UX 2020 in Chromium, from the template,
without code nor Django's admin: adjusts a phase and a question, publishes it. axe-core finds nothing on
any page of the way, and nothing breaks the strict CSP."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD
from defis.e2e.conftest import AxeCheck, CspCheck
from defis.programmes.models import Edition, Phase
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import paris


@pytest.fixture
def member() -> User:
    """A member of the programme team who signs in with a password."""
    user = User.objects.create_user(
        email="camille@numerique.gouv.fr",
        password=PASSWORD,
        first_name="Camille",
        last_name="Équipe",
        is_programme_team=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def check(page: Page, axe_check: AxeCheck, csp_check: CspCheck, heading: str) -> None:
    expect(page.locator("h1")).to_have_text(heading)
    page.wait_for_load_state("networkidle")
    axe_check(page)
    csp_check(page)


def test_team_creates_adjusts_and_publishes_an_edition_from_the_template(  # type: ignore[no-untyped-def]
    page: Page, axe_check: AxeCheck, csp_check: CspCheck, member: User, commando_2020: Edition
):
    page.goto("/compte/login/?next=/equipe/editions/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/equipe/editions/")
    check(page, axe_check, csp_check, "Espace des éditions")

    page.get_by_role("link", name="Créer une édition").click()
    check(page, axe_check, csp_check, "Créer une édition")
    page.locator("#id_source").select_option(label="Commando UX 2020")
    page.locator("#id_name").fill("Commando UX 2026")
    page.locator("#id_slug").fill("commando-ux-2026")
    page.locator("#id_year").fill("2026")
    page.get_by_role("button", name="Créer l’édition").click()
    check(page, axe_check, csp_check, "Vue d’ensemble")
    expect(page.locator(".fr-alert--success")).to_contain_text("L’édition Commando UX 2026 est créée")

    # The call closes a week later than in 2020.
    page.get_by_role("link", name="Phases et échéances").click()
    check(page, axe_check, csp_check, "Phases et échéances")
    page.get_by_role("link", name="Modifier la phase « appel à défis »").click()
    check(page, axe_check, csp_check, "Modifier une phase")
    page.locator("#id_closes_at").fill("2026-06-26T23:59")
    page.get_by_role("button", name="Enregistrer").click()
    check(page, axe_check, csp_check, "Phases et échéances")
    expect(page.locator("#timeline")).to_contain_text("26 juin 2026 à 23:59")

    # A question is reworded, with its live preview.
    page.get_by_role("link", name="Questions des formulaires").click()
    check(page, axe_check, csp_check, "Questions des formulaires")
    page.get_by_role("link", name="Modifier la question 1").click()
    check(page, axe_check, csp_check, "Modifier une question")
    page.locator("#id_label").fill("Combien d'usagers utilisent la démarche chaque année ?")
    expect(page.locator("#question-preview")).to_contain_text("Combien d'usagers utilisent la démarche chaque année ?")
    axe_check(page)
    page.get_by_role("button", name="Enregistrer").click()
    check(page, axe_check, csp_check, "Questions des formulaires")

    for section, heading in [
        ("Qui peut proposer, éligibilité et financement", None),
        ("Ce qui est proposé", None),
        ("Critères d’entretien", None),
        ("Textes publics", None),
        ("Questions fréquentes", None),
        ("E-mails", None),
    ]:
        page.locator(".fr-sidemenu").get_by_role("link", name=section).click()
        check(page, axe_check, csp_check, heading or section)
    page.get_by_role("link", name="relance avant une échéance en français").click()
    check(page, axe_check, csp_check, "E-mail : relance avant une échéance (Français)")

    page.locator(".fr-sidemenu").get_by_role("link", name="Vue d’ensemble et publication").click()
    check(page, axe_check, csp_check, "Vue d’ensemble")
    page.get_by_role("button", name="Publier").click()
    check(page, axe_check, csp_check, "Vue d’ensemble")
    expect(page.locator(".fr-alert--success")).to_contain_text("L’édition est publiée")

    page.get_by_role("link", name="Voir la page publique").click()
    check(page, axe_check, csp_check, "Commando UX 2026")
    edition = Edition.objects.get(slug="commando-ux-2026")
    assert edition.is_published is True
    assert edition.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS).closes_at == paris(2026, 6, 26, 23, 59)
    assert edition.questions.get(position=1).label == "Combien d'usagers utilisent la démarche chaque année ?"

    for path, heading in [
        ("/equipe/editions/a-surveiller/", "À surveiller"),
        ("/equipe/editions/messages/", "Messages envoyés"),
    ]:
        page.goto(path)
        check(page, axe_check, csp_check, heading)
