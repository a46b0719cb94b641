"""The call's form: saving, autosaving, bad input next to its field, two co-editors never overwriting each other."""

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from defis.challenges.models import Answer, Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.demarches.models import Demarche
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import Question

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CHOICE = re.compile(r'data-demarche-choice="(\d+)"')


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


@pytest.fixture(autouse=True)
def _call_is_open() -> Iterator[None]:
    with time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def defi() -> Defi:
    edition = commando_ux_2020()
    IndicatorSetFactory(
        edition=edition.observatory_edition,
        demarche=DemarcheFactory(observatory_id=823, title="Déclaration impôt sur le revenu"),
    )
    organisation = OrganisationFactory(name="Direction générale des finances publiques")
    defi = DefiFactory(edition=edition, organisation=organisation, title="Déclaration")
    CoEditorFactory(defi=defi, user=approved_member(organisation, first_name="Camille", last_name="Roux"))
    return defi


def owner(defi: Defi):  # type: ignore[no-untyped-def]
    return defi.coeditors.order_by("created_at").first().user


def data(defi: Defi, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Déclaration de revenus",
        "summary": "",
        "demarche": "",
        "problem": "",
        "expected_impact": "",
        "sponsor": "",
        "team": "",
        "positions_count": "",
        "accessibility_plan": "",
        "version": str(defi.version),
    }
    values.update(overrides)
    return values


def test_edit_page_shows_the_form_the_checks_and_the_demarche_indicators(client: Client, defi: Defi) -> None:
    defi.demarche = Demarche.objects.get(observatory_id=823)
    defi.save()
    client.force_login(owner(defi))

    response = client.get(reverse("challenges:edit", args=[defi.pk]))

    html = text(response)
    assert response.status_code == 200
    assert "<title>Modifier le défi « Déclaration » — Défis</title>" in html
    assert list(response.context["form"].fields) == [
        "title",
        "summary",
        "demarche",
        "problem",
        "expected_impact",
        "sponsor",
        "team",
        "profiles",
        "positions_count",
        "accessibility_plan",
        "version",
    ]
    assert [choice for choice, _ in response.context["form"].fields["profiles"].choices] == [
        "designer",
        "ux_engineer",
        "developer",
    ]
    assert "Déclaration impôt sur le revenu" in html
    assert "Volume annuel : 37 239 908" in html
    assert "Dans le top 250 de l’Observatoire (Juin 2019)." in html
    assert "Soumettez-le au plus tard le 19 juin 2020 à 23:59 (heure de Paris)." in html
    assert "La démarche fait partie du top 250 de l’Observatoire (Juin 2019)." in html


def test_save_button_saves_the_draft_and_says_when(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))

    response = client.post(
        reverse("challenges:edit", args=[defi.pk]),
        data(defi, demarche="823", profiles=["designer"], positions_count="2"),
        follow=True,
    )

    defi.refresh_from_db()
    assert (defi.title, defi.demarche.observatory_id, defi.profiles, defi.positions_count, defi.version) == (
        "Déclaration de revenus",
        823,
        ["designer"],
        2,
        2,
    )
    assert "Brouillon enregistré à 14:02" in text(response)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"title": ""}, {"title": ["Ce champ est obligatoire."]}),
        (
            {"title": "x" * 201},
            {"title": ["Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201)."]},
        ),
        (
            {"summary": "x" * 301},
            {"summary": ["Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301)."]},
        ),
        ({"demarche": "999999"}, {"demarche": ["Aucune démarche de l’Observatoire ne porte le numéro 999999."]}),
        (
            {"demarche": "impots"},
            {"demarche": ["Choisissez une démarche dans la liste, ou saisissez son numéro dans l’Observatoire."]},
        ),
        ({"positions_count": "deux"}, {"positions_count": ["Saisissez un nombre entier."]}),
        ({"profiles": ["astronaut"]}, {"profiles": ["Sélectionnez un choix valide. astronaut n’en fait pas partie."]}),
    ],
)
def test_bad_input_gets_a_french_message_next_to_its_field_and_keeps_the_text(  # type: ignore[no-untyped-def]
    client: Client, defi: Defi, overrides, errors
) -> None:
    client.force_login(owner(defi))

    response = client.post(
        reverse("challenges:edit", args=[defi.pk]), data(defi, problem="Les usagers se trompent de case.", **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert "Les usagers se trompent de case." in response.content.decode()
    defi.refresh_from_db()
    assert (defi.title, defi.problem, defi.version) == ("Déclaration", "", 1)


def test_autosave_answers_a_status_the_new_version_and_the_checks(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))

    response = client.post(reverse("challenges:autosave", args=[defi.pk]), data(defi, demarche="823"), **HTMX)

    html = text(response)
    assert '<p class="fr-text--sm fr-mb-0" data-saved="true">' in html
    assert "Brouillon enregistré à 14:02" in html
    assert '<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">' in html
    assert (
        '<section id="defi-checks" aria-live="polite" aria-labelledby="defi-checks-title" hx-swap-oob="true">'
    ) in html
    assert '<div id="demarche-current" class="fr-mb-3w" hx-swap-oob="true">' in html
    assert "Volume annuel : 37 239 908" in html
    assert "<html" not in html


def test_autosave_of_bad_input_saves_nothing_and_says_why(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))

    response = client.post(reverse("challenges:autosave", args=[defi.pk]), data(defi, title=""), **HTMX)

    html = text(response)
    assert "Brouillon non enregistré : corrigez ce qui suit, il sera alors enregistré." in html
    assert "<li>Titre du défi : Ce champ est obligatoire.</li>" in html
    assert "hx-swap-oob" not in html
    defi.refresh_from_db()
    assert (defi.title, defi.version) == ("Déclaration", 1)


def test_autosave_of_a_signed_out_person_is_refused_without_redirect(client: Client, defi: Defi) -> None:
    response = client.post(reverse("challenges:autosave", args=[defi.pk]), data(defi), **HTMX)
    assert (response.status_code, response.content.decode()) == (403, "Votre session a expiré : reconnectez-vous.")


def test_two_coeditors_never_overwrite_each_other(client: Client, defi: Defi) -> None:
    first = owner(defi)
    second = approved_member(defi.organisation, first_name="Dominique", last_name="Blanc")
    CoEditorFactory(defi=defi, user=second)
    other = Client()
    client.force_login(first)
    other.force_login(second)
    url = reverse("challenges:edit", args=[defi.pk])

    with time_machine.travel(datetime(2020, 6, 15, 14, 5, tzinfo=PARIS), tick=False):
        client.post(url, data(defi, title="Titre de Camille"))
    # Dominique opened version 1 and saves on top of it: refused with what changed, their text kept.
    with time_machine.travel(datetime(2020, 6, 15, 14, 6, tzinfo=PARIS), tick=False):
        autosave = other.post(
            reverse("challenges:autosave", args=[defi.pk]), data(defi, title="Titre de Dominique"), **HTMX
        )
        response = other.post(url, data(defi, title="Titre de Dominique"))

    message = (
        "Camille Roux a enregistré ce défi pendant que vous le modifiiez. Ses modifications (intitulé) sont "
        "affichées ci-dessous ; votre texte est conservé dans le formulaire : fusionnez-le, puis enregistrez "
        "à nouveau."
    )
    assert message in text(autosave)
    assert "hx-swap-oob" not in autosave.content.decode()
    html = text(response)
    assert response.status_code == 200
    assert message in html
    assert "<dt>Titre du défi, tel qu’enregistré :</dt> <dd>Titre de Camille</dd>" in html
    assert response.context["form"]["title"].value() == "Titre de Dominique"
    assert response.context["form"]["version"].value() == "2"
    defi.refresh_from_db()
    assert (defi.title, defi.version) == ("Titre de Camille", 2)

    # Having read Camille's version, Dominique saves again on top of it.
    other.post(url, data(defi, title="Titre de Dominique et Camille"))
    defi.refresh_from_db()
    assert (defi.title, defi.version) == ("Titre de Dominique et Camille", 3)


def test_same_text_saved_twice_on_the_same_version_is_no_conflict(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    url = reverse("challenges:autosave", args=[defi.pk])
    first = client.post(url, data(defi, title="Titre"), **HTMX)
    second = client.post(url, data(defi, title="Titre"), **HTMX)  # the same version 1, as a racing request
    assert ("Brouillon enregistré à 14:02" in text(first), "Brouillon enregistré à 14:02" in text(second)) == (
        True,
        True,
    )
    defi.refresh_from_db()
    assert defi.version == 2


def test_funding_choice_is_asked_only_outside_the_100_percent_rule(client: Client, defi: Defi) -> None:
    defi.edition.allowed_kinds = [*defi.edition.allowed_kinds, Organisation.Kind.HEALTH_ESTABLISHMENT]
    defi.edition.funding_alternative = "Une convention avec un ministère, ou l’autofinancement."
    defi.edition.save()
    hospital = OrganisationFactory(kind=Organisation.Kind.HEALTH_ESTABLISHMENT)
    other = DefiFactory(edition=defi.edition, organisation=hospital)
    CoEditorFactory(defi=other, user=approved_member(hospital))
    client.force_login(owner(defi))
    state_fields = client.get(reverse("challenges:edit", args=[defi.pk])).context["form"].fields
    client.force_login(owner(other))

    response = client.post(
        reverse("challenges:edit", args=[other.pk]), data(other, funding_choice="agreement"), follow=True
    )

    assert "funding_choice" not in state_fields
    assert "funding_choice" in response.context["form"].fields
    other.refresh_from_db()
    assert other.funding_choice == "agreement"
    assert "Financement déclaré." in text(response)


def test_extra_questions_become_fields_by_kind(client: Client, defi: Defi) -> None:
    edition = defi.edition
    number = Question.objects.create(
        edition=edition, position=1, label="Combien d’usagers ?", kind="number", required=True
    )
    choice = Question.objects.create(
        edition=edition, position=2, label="Temps de l’équipe", kind="choice", choices=["Un jour", "Deux jours"]
    )
    when = Question.objects.create(edition=edition, position=3, label="Date de lancement", kind="date")
    document = Question.objects.create(edition=edition, position=4, label="Note de cadrage", kind="file")
    client.force_login(owner(defi))
    pdf = SimpleUploadedFile("cadrage.pdf", b"%PDF-1.4 cadrage", content_type="application/pdf")

    response = client.post(
        reverse("challenges:edit", args=[defi.pk]),
        data(
            defi,
            **{
                number.field_name: "1500000",
                choice.field_name: "Deux jours",
                when.field_name: "2020-09-07",
                document.field_name: pdf,
            },
        ),
        follow=True,
    )

    assert response.status_code == 200
    answers = {answer.question_id: answer for answer in Answer.objects.filter(defi=defi)}
    assert {pk: answer.value for pk, answer in answers.items()} == {
        number.pk: 1500000,
        choice.pk: "Deux jours",
        when.pk: "2020-09-07",
        document.pk: "cadrage.pdf",
    }
    assert answers[document.pk].file.read() == b"%PDF-1.4 cadrage"
    form = response.context["form"]
    assert (form[number.field_name].value(), form[when.field_name].value()) == (1500000, "2020-09-07")
    assert form.fields[number.field_name].help_text == "Obligatoire pour soumettre."


def test_file_question_refuses_a_non_pdf_next_to_its_field(client: Client, defi: Defi) -> None:
    document = Question.objects.create(edition=defi.edition, position=1, label="Note de cadrage", kind="file")
    client.force_login(owner(defi))
    fake = SimpleUploadedFile("cadrage.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("challenges:edit", args=[defi.pk]), data(defi, title="Nouveau titre", **{document.field_name: fake})
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        document.field_name: ["Le fichier n’est pas un document PDF (son contenu a été vérifié, pas son nom)."]
    }
    defi.refresh_from_db()
    assert (defi.title, Answer.objects.count()) == ("Déclaration", 0)


def test_demarche_search_lists_matches_with_their_indicators(client: Client, defi: Defi) -> None:
    DemarcheFactory(observatory_id=1776, title="Demande de carte nationale d’identité")
    client.force_login(owner(defi))

    by_title = client.get(
        reverse("challenges:demarche-search"), {"q": "impôt revenu", "edition": defi.edition.slug}, **HTMX
    )
    by_number = client.get(reverse("challenges:demarche-search"), {"q": "1776", "edition": defi.edition.slug}, **HTMX)

    html = text(by_title)
    assert html.startswith('<div id="demarche-results" aria-live="polite" class="fr-mb-4w">')
    assert "1 démarche trouvée" in html
    assert (
        "Volume annuel : 37 239 908 · Satisfaction des usagers : 83 % · "
        '<span class="fr-badge fr-badge--sm fr-badge--success">top 250</span>'
    ) in html
    assert CHOICE.findall(html) == ["823"]
    assert CHOICE.findall(text(by_number)) == ["1776"]
    assert "Aucun indicateur dans cette édition de l’Observatoire." in text(by_number)


def test_demarche_search_returns_20_matches_at_most(client: Client, defi: Defi) -> None:
    DemarcheFactory.create_batch(25, title="Demande d’aide au logement")
    client.force_login(owner(defi))
    response = client.get(reverse("challenges:demarche-search"), {"q": "logement"}, **HTMX)
    assert len(CHOICE.findall(response.content.decode())) == 20
    assert "20 démarches trouvées" in text(response)


def test_edit_without_script_searches_a_demarche_after_saving(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    response = client.post(reverse("challenges:edit", args=[defi.pk]), data(defi, q="revenu", search="1"))
    assert response.url == reverse("challenges:edit", args=[defi.pk]) + "?q=revenu#demarche"
    page = client.get(response.url)
    assert CHOICE.findall(page.content.decode()) == ["823"]
