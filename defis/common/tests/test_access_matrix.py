"""The access matrix: every URL pattern of the resolver, GET as every role, gives the status written
here, and no page shows a role what it may not see. A pattern without an expectation fails
`test_every_url_pattern_has_an_expectation`: add its line to EXPECTATIONS when you add the URL.

How to add an expectation: the key is the pattern as the resolver spells it (prefix included, e.g.
"defis/<int:pk>/modifier/"); the value is `Expect("<status per role in ROLES order>", kwargs)`, where
`kwargs(world)` fills the pattern's arguments from the `World` built below (add to the world what a
new page needs, and secrets it must not leak to SECRETS). `ACCESS_MATRIX_DUMP=1 pytest
defis/common/tests/test_access_matrix.py -k dump -s` prints the statuses the code gives today for every
pattern, marking those that differ from their expectation, to review (never paste without reading: a
200 where a 403 belongs is a leak, not an expectation).
Statuses: 200 shown, 302 to sign-in (anonymous) or elsewhere, 403 refused, 404 out of the role's scope
(or, with MISSING as id, the object does not exist), 405 the page is a POST action (GET changes nothing).

The roles are those of the trust issue (#9), in ROLES order: anonymous; candidate and other candidate,
who have no pages of their own until the applications app lands, so both are signed-in people without
any role for now (give each an application and its pages then); the agent of the défi's administration
(its co-editor) and an agent of another administration; the juror assigned to the défi of the URL (an
accepted seat on its edition with an assignment) and a juror in conflict with it (an accepted seat whose
declared conflict names the défi's organisation, not assigned); the programme team; and a Django
superuser, who is the team (`create_superuser` sets `is_programme_team`) and nothing more: no rule lets
a superuser act as a co-editor or a juror.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import PASSWORD, ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.challenges.models import Answer
from defis.challenges.services import add_attachment, submit_defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member
from defis.demarches.tests.factories import DemarcheFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership, Organisation
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory
from defis.privacy.models import ErasureRequest
from defis.privacy.services import request_erasure
from defis.programmes.models import Question
from defis.programmes.tests.factories import EditionFactory, PhaseFactory
from defis.reviews.models import ConflictOfInterest, Review
from defis.reviews.tests.factories import assign, juror, paris

ROLES = (
    "anonymous",
    "candidate",
    "other_candidate",
    "agent",
    "other_agent",
    "juror",
    "juror_in_conflict",
    "team",
    "superuser",
)
MISSING = 999_999  # an id no object has
# Patterns tested elsewhere, with the reason.
EXEMPT_PREFIXES = {
    "admin/": "Django's admin: reserved to the team by defis.urls.team_only (accounts/tests/test_admin_access.py)",
}
# GETs that write an audit row by design: downloads of files that may hold personal data (exports,
# whose action ends with ".exported", too).
DOWNLOADS = {"defi.attachment_downloaded", "defi.answer_file_downloaded"}

DEFI_SECRET = "Défi confidentiel de la DGFIP"
REVIEWED_DEFI_SECRET = "Défi soumis au jury par la DGFIP"
ATTACHMENT_SECRET = "note-interne-dgfip.pdf"
REVIEW_SECRET = "Commentaire de juré confidentiel"
CONFLICT_SECRET = "Motif de conflit confidentiel"
ERASURE_SECRET = "Motif d’effacement confidentiel"
MESSAGE_SECRET = "Objet de message confidentiel"
AUDIT_SECRET = "donnée d’audit confidentielle"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
TEAMS = {"team", "superuser"}
# Who may see each secret; every other role must never find it in a page.
SECRETS = {
    DEFI_SECRET: {"agent", *TEAMS},  # a draft: its administration's
    REVIEWED_DEFI_SECRET: {"agent", "juror", *TEAMS},  # submitted: and the juror it is assigned to
    ATTACHMENT_SECRET: {"agent", "juror", *TEAMS},
    REVIEW_SECRET: {"juror", *TEAMS},  # never the administration reviewed, nor a juror in conflict
    CONFLICT_SECRET: {"juror_in_conflict", *TEAMS},
    ERASURE_SECRET: TEAMS,
    MESSAGE_SECRET: TEAMS,
    AUDIT_SECRET: TEAMS,
}


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@dataclass
class World:
    """One edition with two défis of the DGFIP: a draft (the call for défis' edit pages) and a submitted
    one with an attachment, assigned to the juror and in conflict with the other juror (the pages a juror
    could try: the défi's own, its receipt and file, and the jury's). No juror is assigned to the draft:
    the jury reviews submitted défis only."""

    users: dict[str, User]
    edition_slug: str
    organisation: Organisation
    defi_id: int
    reviewed_defi_id: int
    attachment_id: int
    answer_id: int
    assignment_id: int
    membership_id: int
    message_id: int
    erasure_request_id: int
    observatory_id: int


def build_world() -> World:
    edition = EditionFactory(slug="commando-ux-2020", name="Commando UX 2020")
    PhaseFactory(edition=edition)
    dgfip = OrganisationFactory(slug="dgfip", name="Direction générale des finances publiques")
    other = OrganisationFactory(slug="ants", name="Agence nationale des titres sécurisés")
    agent = approved_member(dgfip, email="agent@exemple.gouv.fr")
    seat, conflicted = juror(edition, email="jure@exemple.fr"), juror(edition, email="jure-en-conflit@exemple.fr")
    users = {
        "candidate": UserFactory(email="candidat@exemple.fr"),
        "other_candidate": UserFactory(email="autre-candidat@exemple.fr"),
        "agent": agent,
        "other_agent": approved_member(other, email="autre-agent@exemple.gouv.fr"),
        "juror": seat.user,
        "juror_in_conflict": conflicted.user,
        "team": ProgrammeTeamFactory(email="equipe@numerique.gouv.fr"),
        "superuser": User.objects.create_superuser("admin@numerique.gouv.fr", PASSWORD),
    }
    defi = DefiFactory(edition=edition, organisation=dgfip, title=DEFI_SECRET)
    CoEditorFactory(defi=defi, user=agent)
    reviewed = DefiFactory(edition=edition, organisation=dgfip, title=REVIEWED_DEFI_SECRET, complete=True)
    CoEditorFactory(defi=reviewed, user=agent)
    during_call = paris(2020, 6, 19, 12, 0)
    upload = SimpleUploadedFile(ATTACHMENT_SECRET, PDF, content_type="application/pdf")
    attachment = add_attachment(actor=agent, defi=reviewed, upload=upload, at=during_call)
    question = Question.objects.create(edition=edition, label="Lettre de soutien", kind=Question.Kind.FILE)
    answer = Answer(defi=reviewed, question=question, value=ATTACHMENT_SECRET)
    answer.file.save(ATTACHMENT_SECRET, ContentFile(PDF), save=True)
    reviewed = submit_defi(actor=agent, defi=reviewed, at=during_call)
    assignment = assign(seat, reviewed)
    Review.objects.create(
        assignment=assignment,
        status=Review.Status.SUBMITTED,
        submitted_at=paris(2020, 6, 23, 10, 0),
        comment=REVIEW_SECRET,
    )
    ConflictOfInterest.objects.create(
        juror=conflicted,
        organisation=dgfip,
        source=ConflictOfInterest.Source.DECLARED,
        reason=CONFLICT_SECRET,
        declared_by=conflicted.user,
    )
    membership = MembershipFactory(organisation=dgfip, status=Membership.Status.PENDING)
    message = OutboxMessage.objects.create(to=agent.email, subject=MESSAGE_SECRET, body="…")
    erasure = request_erasure(actor=users["candidate"], reason=ERASURE_SECRET)
    record_event(actor=users["team"], action="test.secret", target=dgfip, data={"note": AUDIT_SECRET})
    demarche = DemarcheFactory()
    return World(
        users=users,
        edition_slug=edition.slug,
        organisation=dgfip,
        defi_id=defi.pk,
        reviewed_defi_id=reviewed.pk,
        attachment_id=attachment.pk,
        answer_id=answer.pk,
        assignment_id=assignment.pk,
        membership_id=membership.pk,
        message_id=message.pk,
        erasure_request_id=erasure.pk,
        observatory_id=demarche.observatory_id,
    )


Kwargs = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Expect:
    statuses: str
    kwargs: Kwargs = field(default=lambda world: {})

    def __post_init__(self) -> None:
        assert len(self.statuses.split()) == len(ROLES), f"one status per role of {ROLES}: {self.statuses!r}"

    def status_of(self, role: str) -> int:
        return int(self.statuses.split()[ROLES.index(role)])


def edition(world: World) -> dict[str, Any]:
    return {"edition_slug": world.edition_slug}


def slug(world: World) -> dict[str, Any]:
    return {"slug": world.edition_slug}


def defi(world: World) -> dict[str, Any]:
    """The draft: the pages of the call for défis that change it."""
    return {"pk": world.defi_id}


def reviewed(world: World) -> dict[str, Any]:
    """The submitted défi, assigned to the juror and in conflict with the other juror."""
    return {"pk": world.reviewed_defi_id}


def reviewed_attachment(world: World) -> dict[str, Any]:
    return {"pk": world.reviewed_defi_id, "attachment_pk": world.attachment_id}


def reviewed_answer(world: World) -> dict[str, Any]:
    return {"pk": world.reviewed_defi_id, "answer_pk": world.answer_id}


def jury_defi(world: World) -> dict[str, Any]:
    return {"edition_slug": world.edition_slug, "defi_pk": world.reviewed_defi_id}


def jury_attachment(world: World) -> dict[str, Any]:
    return {**jury_defi(world), "attachment_pk": world.attachment_id}


def jury_answer(world: World) -> dict[str, Any]:
    return {**jury_defi(world), "answer_pk": world.answer_id}


def missing(*names: str) -> Kwargs:
    """The edition's slug, and ids of objects that do not exist (the page's access check still runs first)."""

    def kwargs(world: World) -> dict[str, Any]:
        values = {
            "edition_slug": world.edition_slug,
            "slug": world.edition_slug,
            "pk": MISSING,
            "defi_pk": MISSING,
            "attachment_pk": MISSING,
            "answer_pk": MISSING,
            "token": "00000000-0000-0000-0000-000000000000",
            "kind": "receipt",
            "language": "fr",
        }
        return {name: values[name] for name in names}

    return kwargs


def membership(world: World) -> dict[str, Any]:
    return {"pk": world.membership_id}


message = missing("slug", "kind", "language")


def erasure(world: World) -> dict[str, Any]:
    return {"pk": world.erasure_request_id}


def everyone(status: int) -> str:
    return " ".join([str(status)] * len(ROLES))


# Columns, in ROLES order: anonymous, candidate, other candidate, agent, other agent, juror, juror in
# conflict, team, superuser.
PUBLIC = "200 200 200 200 200 200 200 200 200"
SIGNED_IN = "302 200 200 200 200 200 200 200 200"
SIGNED_IN_POST = "302 405 405 405 405 405 405 405 405"
TEAM = "302 403 403 403 403 403 403 200 200"
TEAM_POST = "302 403 403 403 403 403 403 405 405"
TEAM_MISSING = "302 403 403 403 403 403 403 404 404"  # a team page about an object that does not exist
JURY = "302 404 404 404 404 200 200 404 404"  # the edition's jury pages: its seats only, in conflict or not
JURY_POST = "302 404 404 404 404 405 405 404 404"
ASSIGNED = "302 404 404 404 404 200 404 404 404"  # the défi's review: its juror only, a conflict is out of scope
DEFI = "302 404 404 200 404 404 404 200 200"  # a défi's page: its administration and the team, never a juror
EDIT_POST = "302 404 404 405 404 404 404 403 403"  # a co-editor's action: out of others' scope, refused to the team

EXPECTATIONS: dict[str, Expect] = {
    # The site's own pages
    "": Expect(PUBLIC),
    "accessibilite/": Expect(PUBLIC),
    "mentions-legales/": Expect(PUBLIC),
    "donnees-personnelles/": Expect(PUBLIC),
    "i18n/setlang/": Expect(everyone(302)),  # a GET changes nothing and goes back
    # Programmes
    "editions/<slug:slug>/": Expect(PUBLIC, slug),
    "equipe/": Expect(TEAM),
    "demarches/": Expect(PUBLIC),
    "demarches/<int:observatory_id>/": Expect(PUBLIC, lambda world: {"observatory_id": world.observatory_id}),
    # Organisations
    "organisations/mes-organisations/": Expect(SIGNED_IN),
    "organisations/demandes/<int:pk>/": Expect("302 404 404 404 404 404 404 200 200", membership),
    "organisations/demandes/<int:pk>/accepter/": Expect("404 404 404 404 404 404 404 405 405", membership),
    "organisations/demandes/<int:pk>/refuser/": Expect("404 404 404 404 404 404 404 405 405", membership),
    "organisations/demandes/<int:pk>/role/": Expect("404 404 404 404 404 404 404 405 405", membership),
    "organisations/<slug:slug>/": Expect(PUBLIC, lambda world: {"slug": world.organisation.slug}),
    "organisations/<slug:slug>/nature/": Expect(TEAM_POST, lambda world: {"slug": world.organisation.slug}),
    # Challenges
    "defis/": Expect(SIGNED_IN),
    "defis/nouveau/<slug:edition_slug>/": Expect(SIGNED_IN, edition),
    "defis/demarches/": Expect(SIGNED_IN),
    "defis/<int:pk>/": Expect(DEFI, reviewed),
    "defis/<int:pk>/modifier/": Expect("302 404 404 200 404 404 404 403 403", defi),  # its co-editors only
    "defis/<int:pk>/brouillon/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/verifications/": Expect(DEFI, reviewed),
    "defis/<int:pk>/pieces-jointes/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/pieces-jointes/<int:attachment_pk>/": Expect(DEFI, reviewed_attachment),
    "defis/<int:pk>/reponses/<int:answer_pk>/fichier/": Expect(DEFI, reviewed_answer),
    "defis/<int:pk>/pieces-jointes/<int:attachment_pk>/supprimer/": Expect(
        EDIT_POST, lambda world: {"pk": world.defi_id, "attachment_pk": MISSING}
    ),
    "defis/<int:pk>/coediteurs/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/soumettre/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/retirer/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/rouvrir/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/recepisse/": Expect(DEFI, reviewed),
    "equipe/defis/<slug:edition_slug>/": Expect(TEAM, edition),
    r"equipe/defis/^(?P<edition_slug>[-\w]+)/export\.(?P<fmt>csv|xlsx)$": Expect(
        TEAM, lambda world: {"edition_slug": world.edition_slug, "fmt": "csv"}
    ),
    "equipe/defis/<slug:edition_slug>/relance/": Expect(TEAM_POST, edition),
    # The team's workspace and the jury (reviewed on 26 November 2026: every team page refuses the others,
    # jurors included; a jury page is out of scope for anyone without an accepted seat on the edition, the
    # team and the superuser included; a défi's review and files, for anyone it is not assigned to or who
    # is in conflict with it; an object that does not exist is a 404)
    "equipe/editions/": Expect(TEAM),
    "equipe/editions/<slug:slug>/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/calendrier/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/calendrier/<int:pk>/": Expect(TEAM_MISSING, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/calendrier/<int:pk>/supprimer/": Expect(TEAM_POST, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/criteres/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/criteres/<int:pk>/": Expect(TEAM_MISSING, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/criteres/<int:pk>/supprimer/": Expect(TEAM_POST, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/depublier/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/<slug:slug>/e-mails/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/e-mails/<str:kind>/<str:language>/": Expect(TEAM_MISSING, message),
    "equipe/editions/<slug:slug>/e-mails/<str:kind>/<str:language>/apercu/": Expect(TEAM_MISSING, message),
    "equipe/editions/<slug:slug>/e-mails/<str:kind>/<str:language>/reinitialiser/": Expect(TEAM_MISSING, message),
    "equipe/editions/<slug:slug>/faq/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/faq/<int:pk>/": Expect(TEAM_MISSING, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/faq/<int:pk>/supprimer/": Expect(TEAM_POST, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/modele/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/<slug:slug>/offre/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/prolongation/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/publier/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/<slug:slug>/questions/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/questions/<int:pk>/": Expect(TEAM_MISSING, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/questions/<int:pk>/deplacer/": Expect(TEAM_POST, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/questions/<int:pk>/supprimer/": Expect(TEAM_POST, missing("slug", "pk")),
    "equipe/editions/<slug:slug>/questions/apercu/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/<slug:slug>/regles/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/relance/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/<slug:slug>/textes/": Expect(TEAM, missing("slug")),
    "equipe/editions/<slug:slug>/textes/apercu/": Expect(TEAM_POST, missing("slug")),
    "equipe/editions/a-surveiller/": Expect(TEAM),
    "equipe/editions/messages/": Expect(TEAM),
    "equipe/editions/messages/<int:pk>/": Expect(TEAM_MISSING, missing("pk")),
    "equipe/editions/messages/<int:pk>/renvoyer/": Expect(TEAM_POST, missing("pk")),
    "equipe/editions/nouvelle/": Expect(TEAM),
    "jury/": Expect(SIGNED_IN),  # each person's own seats and invitations
    "jury/<slug:edition_slug>/": Expect(JURY, edition),
    "jury/<slug:edition_slug>/conflits/": Expect(JURY_POST, edition),
    "jury/<slug:edition_slug>/defis/<int:defi_pk>/": Expect(ASSIGNED, jury_defi),
    "jury/<slug:edition_slug>/defis/<int:defi_pk>/pieces-jointes/<int:attachment_pk>/": Expect(
        ASSIGNED, jury_attachment
    ),
    "jury/<slug:edition_slug>/defis/<int:defi_pk>/reponses/<int:answer_pk>/fichier/": Expect(ASSIGNED, jury_answer),
    "jury/<slug:edition_slug>/preferences/": Expect(JURY, edition),
    "jury/equipe/<slug:edition_slug>/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/<int:pk>/retirer/": Expect(
        TEAM_POST, lambda world: {"edition_slug": world.edition_slug, "pk": world.assignment_id}
    ),
    "jury/equipe/<slug:edition_slug>/affectation/ajouter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/automatique/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/classement.csv": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/classement/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/conflits/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/conflits/detecter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/criteres/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/criteres/<int:pk>/supprimer/": Expect(TEAM_POST, missing("edition_slug", "pk")),
    "jury/equipe/<slug:edition_slug>/deliberation/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/deliberation/<int:defi_pk>/": Expect(TEAM_POST, jury_defi),
    "jury/equipe/<slug:edition_slug>/inviter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/notifications/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/notifications/envoyer/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/reglages/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/invitation/<uuid:token>/": Expect(everyone(404), missing("token")),
    "jury/invitation/<uuid:token>/accepter/": Expect(everyone(405), missing("token")),
    "jury/invitation/<uuid:token>/refuser/": Expect(everyone(405), missing("token")),
    # Audit log
    "equipe/journal/": Expect(TEAM),
    "equipe/journal/objet/<str:target_type>/<str:target_id>/": Expect(
        TEAM, lambda world: {"target_type": "organisations.organisation", "target_id": str(world.organisation.pk)}
    ),
    # Personal data
    "mes-donnees/": Expect(SIGNED_IN),
    "mes-donnees/export/": Expect(SIGNED_IN_POST),
    "mes-donnees/effacement/": Expect(SIGNED_IN_POST),
    "mes-donnees/conservation/<slug:slug>/": Expect(SIGNED_IN_POST, slug),
    "mes-donnees/equipe/effacements/": Expect(TEAM),
    "mes-donnees/equipe/effacements/<int:pk>/": Expect(TEAM, erasure),
    "mes-donnees/equipe/effacements/<int:pk>/effacer/": Expect(TEAM_POST, erasure),
    "mes-donnees/equipe/effacements/<int:pk>/refuser/": Expect(TEAM_POST, erasure),
    "mes-donnees/equipe/conservation/": Expect(TEAM),
    "mes-donnees/equipe/conservation/<slug:slug>/": Expect(TEAM_POST, slug),
    # Accounts (allauth) and ProConnect (disabled in tests: its pages are 404)
    "compte/login/": Expect("200 302 302 302 302 302 302 302 302"),
    "compte/logout/": Expect("302 200 200 200 200 200 200 200 200"),
    "compte/inactive/": Expect(PUBLIC),
    "compte/signup/": Expect("200 302 302 302 302 302 302 302 302"),
    "compte/reauthenticate/": Expect(SIGNED_IN),
    "compte/email/": Expect(SIGNED_IN),
    "compte/confirm-email/": Expect(PUBLIC),
    "compte/password/change/": Expect(SIGNED_IN),
    "compte/password/set/": Expect(everyone(302)),  # they all have a password already
    "compte/password/reset/": Expect(PUBLIC),
    "compte/login/code/confirm/": Expect(everyone(302)),  # no code requested
    r"compte/^confirm-email/(?P<key>[-:\w]+)/$": Expect(PUBLIC, lambda world: {"key": "inconnue"}),
    "compte/password/reset/key/done/": Expect(PUBLIC),
    r"compte/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Expect(
        PUBLIC, lambda world: {"uidb36": "0", "key": "inconnue"}
    ),
    "compte/password/reset/done/": Expect(PUBLIC),
    "compte/login/code/": Expect("200 302 302 302 302 302 302 302 302"),
    "compte/3rdparty/login/cancelled/": Expect(PUBLIC),
    "compte/3rdparty/login/error/": Expect(everyone(401)),  # allauth's status for a failed sign-in
    "compte/3rdparty/signup/": Expect(everyone(302)),  # only in the middle of a ProConnect sign-up
    "compte/3rdparty/": Expect(SIGNED_IN),
    "compte/social/login/cancelled/": Expect(everyone(301)),  # allauth's old addresses
    "compte/social/login/error/": Expect(everyone(301)),
    "compte/social/signup/": Expect(everyone(301)),
    "compte/social/connections/": Expect(everyone(301)),
    "compte/proconnect/login/": Expect(everyone(404)),
    "compte/proconnect/login/callback/": Expect(everyone(404)),
}


# Anonymous 302s that do not go to the sign-in page: back to the previous page, or home.
NOT_TO_SIGN_IN = {
    "i18n/setlang/",
    "compte/logout/",
    "compte/password/set/",
    "compte/login/code/confirm/",
    "compte/3rdparty/signup/",
}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def resolver_routes() -> dict[str, str]:
    """Every pattern of the project (but the exempt prefixes) and the name to reverse it by."""
    routes = {}
    for route, _pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(tuple(EXEMPT_PREFIXES)):
            routes[route] = route
    return routes


def _url_name(route: str) -> str:
    """The namespaced name of a route, found by walking the resolver again (names are not unique)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif pattern.name:
                yield prefix + str(pattern.pattern), namespace + pattern.name

    return dict(walk(get_resolver().url_patterns, "", "")).get(route, "")


def test_every_url_pattern_has_an_expectation():
    routes = set(resolver_routes())

    assert sorted(routes - set(EXPECTATIONS)) == [], "URL patterns without an expectation: add them to EXPECTATIONS"
    assert sorted(set(EXPECTATIONS) - routes) == [], "expectations of URL patterns that no longer exist"


def test_only_the_assigned_juror_reaches_the_jury_pages_of_a_defi():
    """Invariants of the table, so that a pasted dump cannot hide a leak: a juror page naming a défi is
    out of scope (404) for everyone signed in but the juror it is assigned to, a juror in conflict first."""
    routes = sorted(route for route in EXPECTATIONS if route.startswith("jury/<slug:edition_slug>/defis/"))

    assert routes == [
        "jury/<slug:edition_slug>/defis/<int:defi_pk>/",
        "jury/<slug:edition_slug>/defis/<int:defi_pk>/pieces-jointes/<int:attachment_pk>/",
        "jury/<slug:edition_slug>/defis/<int:defi_pk>/reponses/<int:answer_pk>/fichier/",
    ]
    for route in routes:
        statuses = {role: EXPECTATIONS[route].status_of(role) for role in ROLES if role != "anonymous"}
        assert statuses == {**dict.fromkeys(statuses, 404), "juror": 200}, route


def test_no_juror_reaches_the_pages_of_a_defi_in_the_call_for_defis():
    """`challenges.view_defi` lets in the défi's administration and the team: a juror, assigned or in
    conflict, reads a défi through the jury's pages only."""
    routes = [route for route in EXPECTATIONS if route.startswith("defis/<int:pk>/")]

    assert "defis/<int:pk>/" in routes
    for route in routes:
        assert (EXPECTATIONS[route].status_of("juror"), EXPECTATIONS[route].status_of("juror_in_conflict")) == (
            404,
            404,
        ), route


def _url(route: str, world: World) -> str:
    name = _url_name(route)
    if not name:  # allauth's old addresses have no name: their pattern is their path
        return "/" + route
    return reverse(name, kwargs=EXPECTATIONS[route].kwargs(world))


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(EXPECTATIONS))
def test_each_role_gets_the_expected_status_and_no_secret(route):
    world = build_world()
    url = _url(route, world)
    events = Event.objects.count()
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.get(url)
        expected = EXPECTATIONS[route].status_of(role)
        if response.status_code != expected:
            failures.append(f"{role}: {response.status_code}, expected {expected}")
        if response.status_code == expected == 302 and role == "anonymous" and route not in NOT_TO_SIGN_IN:
            assert response["Location"].startswith("/compte/login/?next="), (role, response["Location"])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        leaked = [secret for secret, seers in SECRETS.items() if role not in seers and secret in text]
        if leaked:
            failures.append(f"{role} sees {leaked}")
    assert failures == [], f"{url}: " + "; ".join(failures)
    # A GET changes nothing, but for the audit row of a download (an export is a GET, and is recorded).
    written = set(Event.objects.order_by("pk")[events:].values_list("action", flat=True))
    assert {action for action in written if not action.endswith(".exported")} - DOWNLOADS == set()
    assert ErasureRequest.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(os.environ.get("ACCESS_MATRIX_DUMP") != "1", reason="set ACCESS_MATRIX_DUMP=1 to print")
def test_dump_statuses_of_every_pattern():
    """Print what the code answers today for every pattern (with its expectation's arguments, or missing
    objects for a pattern without one), marking each line that differs from its expectation."""
    world = build_world()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    for route in sorted(resolver_routes()):
        expect = EXPECTATIONS.get(route)
        try:
            url = _url(route, world) if expect else reverse(_url_name(route), kwargs=missing(*_arguments(route))(world))
        except Exception as error:  # noqa: BLE001  # a dump for a person to read
            print(f"{route!r}: cannot build a URL ({error})")  # noqa: T201
            continue
        statuses = " ".join(str(clients[role].get(url).status_code) for role in ROLES)
        note = (
            ""
            if expect and expect.statuses == statuses
            else f"  # {url}, expected {expect.statuses if expect else None}"
        )
        print(f'    {route!r}: Expect("{statuses}", ...),{note}')  # noqa: T201


def _arguments(route: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
