"""The selection in Chromium: a juror scores two défis, the team ranks them, decides within the edition's
capacity and notifies the administrations; axe-core finds nothing on any page of the way."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD
from defis.challenges.models import CoEditor, Defi
from defis.e2e.conftest import AxeCheck, CspCheck
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition, Phase, Programme
from defis.reviews.models import Assignment, Criterion, Juror

LEVELS = ["Absent", "Très insuffisant", "Insuffisant", "Satisfaisant", "Bon", "Excellent"]
IMPOTS, CARTE_GRISE = "Simplifier la déclaration de revenus", "Refaire la demande de carte grise"


def person(email: str, **fields: object) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def edition() -> Edition:
    """Commando UX 2020's rules, with its selection phase open now and its two criteria."""
    now = timezone.now()
    programme = Programme.objects.create(slug="commando-ux", name="Commando UX")
    edition = Edition.objects.create(
        programme=programme,
        slug="commando-ux-2020",
        name="Commando UX 2020",
        year=2020,
        is_published=True,
        defis_to_select_min=1,
        defis_to_select_max=1,
        positions_per_defi_max=3,
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=3),
    )
    Phase.objects.create(
        edition=edition, kind=Phase.Kind.SELECTION, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=4)
    )
    Criterion.objects.create(
        edition=edition,
        position=1,
        label="Impact pour les usagers",
        weight=Decimal(2),
        guidance="Combien d’usagers, et combien leur vie change.",
        level_labels=LEVELS,
    )
    Criterion.objects.create(
        edition=edition,
        position=2,
        label="Implication de l’équipe",
        weight=Decimal(1),
        guidance="Temps consacré et portage hiérarchique.",
        level_labels=LEVELS,
    )
    return edition


@pytest.fixture
def juror(edition: Edition) -> User:
    """A juror who accepted, with the two submitted défis assigned."""
    user = person("alex.jure@design.example", first_name="Alex", last_name="Juré")
    seat = Juror.objects.create(
        edition=edition, email=user.email, user=user, status=Juror.Status.ACCEPTED, invited_at=timezone.now()
    )
    for slug, name, title in (
        ("dgfip", "Direction générale des finances publiques", IMPOTS),
        ("ants", "Agence nationale des titres sécurisés", CARTE_GRISE),
    ):
        organisation = Organisation.objects.create(slug=slug, name=name, kind=Organisation.Kind.CENTRAL_ADMINISTRATION)
        author = person(f"agent@{slug}.gouv.fr", first_name="Camille", last_name=slug.upper())
        Membership.objects.create(user=author, organisation=organisation, status=Membership.Status.APPROVED)
        defi = Defi.objects.create(
            edition=edition,
            organisation=organisation,
            title=title,
            status=Defi.Status.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=4),
            positions_count=2,
            summary="Moins d’erreurs et d’abandons.",
            problem="Les usagers se trompent.",
        )
        CoEditor.objects.create(defi=defi, user=author)
        Assignment.objects.create(juror=seat, defi=defi, source=Assignment.Source.MANUAL)
    return user


@pytest.fixture
def team() -> User:
    return person(
        "equipe@numerique.gouv.fr", first_name="Camille", last_name="Équipe", is_programme_team=True, is_staff=True
    )


def sign_in(page: Page, user: User, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/compte/login/?next={next_url}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")


def check_page(page: Page, axe_check: AxeCheck, csp_check: CspCheck) -> None:
    assert page.locator("h1").count() == 1
    axe_check(page)
    csp_check(page)


def score(page: Page, criterion: str, level: str, comment: str) -> None:
    group = page.get_by_role("group", name=criterion)
    group.get_by_text(level, exact=True).click()
    page.get_by_label(f"Commentaire sur « {criterion} »").fill(comment)


def test_juror_scores_two_defis_then_the_team_ranks_decides_and_notifies(  # type: ignore[no-untyped-def]
    page: Page, axe_check: AxeCheck, csp_check: CspCheck, edition: Edition, juror: User, team: User
) -> None:
    # The juror: entry page, queue, then each défi.
    sign_in(page, juror, "/jury/")
    expect(page.locator("h1")).to_have_text("Mes jurys")
    check_page(page, axe_check, csp_check)
    page.get_by_role("link", name="Mes défis à évaluer — Commando UX 2020").click()
    expect(page.get_by_text("0 évaluation soumise sur 2 défis affectés")).to_be_visible()
    check_page(page, axe_check, csp_check)

    page.get_by_role("link", name=f"Évaluer — {IMPOTS}").click()
    expect(page.locator("h1")).to_have_text(IMPOTS)
    check_page(page, axe_check, csp_check)
    score(page, "Impact pour les usagers", "5 — Excellent", "Des millions d’usagers chaque année.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.get_by_role("button", name="Soumettre mon évaluation").click()
    expect(page.get_by_text("Notez chaque critère avant de soumettre : Implication de l’équipe.").first).to_be_visible()
    check_page(page, axe_check, csp_check)
    score(page, "Implication de l’équipe", "4 — Bon", "Une directrice porte le projet.")
    page.get_by_role("button", name="Soumettre mon évaluation").click()
    expect(page.get_by_text(f"Votre évaluation de « {IMPOTS} » est soumise.")).to_be_visible()

    page.get_by_role("link", name=f"Évaluer — {CARTE_GRISE}").click()
    score(page, "Impact pour les usagers", "2 — Insuffisant", "Peu d’usagers concernés.")
    score(page, "Implication de l’équipe", "3 — Satisfaisant", "Équipe disponible un jour par semaine.")
    page.get_by_role("button", name="Soumettre mon évaluation").click()
    expect(page.get_by_text("2 évaluations soumises sur 2 défis affectés")).to_be_visible()
    check_page(page, axe_check, csp_check)

    # The team: the jury, the assignment, the ranking with and without normalisation.
    jury_url = f"/jury/equipe/{edition.slug}/"
    sign_in(page, team, jury_url)
    expect(page.locator("h1")).to_have_text("Jury de Commando UX 2020")
    check_page(page, axe_check, csp_check)
    page.get_by_role("link", name="Affectation", exact=True).click()
    expect(page.locator("h1")).to_have_text("Affectation des défis")
    check_page(page, axe_check, csp_check)
    page.get_by_role("link", name="Classement", exact=True).click()
    rows = page.locator("#ranking-table tbody tr")
    expect(rows.nth(0)).to_contain_text(IMPOTS)
    expect(rows.nth(0)).to_contain_text("93,3")  # (2 × 5/5 + 1 × 4/5) / 3
    expect(rows.nth(1)).to_contain_text(CARTE_GRISE)
    check_page(page, axe_check, csp_check)
    page.locator("label[for=id_normalise]").click()  # the DSFR draws the box on the label
    expect(page.locator("#ranking-table caption")).to_have_text("Classement avec les notes normalisées par juré")
    expect(rows.nth(0)).to_contain_text("1,00")
    check_page(page, axe_check, csp_check)

    # Deliberation within capacity (one défi at most), over htmx.
    page.get_by_role("link", name="Délibération", exact=True).click()
    check_page(page, axe_check, csp_check)
    page.get_by_label(f"Décision — {IMPOTS}").select_option("selected")
    page.get_by_role("button", name=f"Enregistrer — {IMPOTS}").click()
    expect(page.locator("#capacity")).to_contain_text("1 défi retenu, pour 1 à 1.")
    page.get_by_label(f"Décision — {CARTE_GRISE}").select_option("selected")
    page.get_by_role("button", name=f"Enregistrer — {CARTE_GRISE}").click()
    expect(page.get_by_text("L’édition retient 1 défi au plus, et il est déjà retenu")).to_be_visible()
    page.get_by_label(f"Décision — {CARTE_GRISE}").select_option("rejected")
    page.get_by_role("button", name=f"Enregistrer — {CARTE_GRISE}").click()
    expect(page.locator("#capacity")).to_contain_text("non retenus : 1")
    check_page(page, axe_check, csp_check)

    # Notification: preview with the real défis, then one bulk send.
    page.get_by_role("link", name="Notifications", exact=True).click()
    expect(page.get_by_text(f"Votre défi « {IMPOTS} » est retenu")).to_be_visible()
    check_page(page, axe_check, csp_check)
    page.get_by_role("button", name="Envoyer 2 notifications").click()
    expect(page.get_by_text("2 notifications sont en file d’envoi")).to_be_visible()
    check_page(page, axe_check, csp_check)

    assert dict(Defi.objects.values_list("title", "decision")) == {IMPOTS: "selected", CARTE_GRISE: "rejected"}
    assert sorted(OutboxMessage.objects.values_list("to", "subject")) == [
        ("agent@ants.gouv.fr", f"Votre défi « {CARTE_GRISE} » n’est pas retenu"),
        ("agent@dgfip.gouv.fr", f"Votre défi « {IMPOTS} » est retenu"),
    ]
