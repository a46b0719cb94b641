"""The access matrix: every URL pattern of the resolver, GET as every role, gives the status written
here, and no page shows a role what it may not see. A pattern without an expectation fails
`test_every_url_pattern_has_an_expectation`: add its line to EXPECTATIONS when you add the URL.

How to add an expectation: the key is the pattern as the resolver spells it (prefix included, e.g.
"defis/<int:pk>/modifier/"); the value is `Expect("<status per role in ROLES order>", kwargs)`, where
`kwargs(world)` fills the pattern's arguments from the `World` built below (add to the world what a
new page needs, and secrets it must not leak to SECRETS). `ACCESS_MATRIX_DUMP=1 pytest
defis/common/tests/test_access_matrix.py -k dump -s` prints the statuses the code gives today, to
review (never paste without reading: a 200 where a 403 belongs is a leak, not an expectation).
Statuses: 200 shown, 302 to sign-in (anonymous) or elsewhere, 403 refused, 404 out of the role's scope
(or, with MISSING as id, the object does not exist), 405 the page is a POST action (GET changes nothing).
Roles still to add when their apps land: candidate and other candidate (applications), juror assigned
and juror in conflict (reviews), Django superuser.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member
from defis.demarches.tests.factories import DemarcheFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Membership, Organisation
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory
from defis.privacy.models import ErasureRequest
from defis.privacy.services import request_erasure
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

ROLES = ("anonymous", "person", "agent", "other_agent", "team")
MISSING = 999_999  # an id no object has
# Patterns tested elsewhere, with the reason.
EXEMPT_PREFIXES = {
    "admin/": "Django's admin: reserved to the team by defis.urls.team_only (accounts/tests/test_admin_access.py)",
}

DEFI_SECRET = "Défi confidentiel de la DGFIP"
ERASURE_SECRET = "Motif d’effacement confidentiel"
MESSAGE_SECRET = "Objet de message confidentiel"
AUDIT_SECRET = "donnée d’audit confidentielle"
# Who may see each secret; every other role must never find it in a page.
SECRETS = {DEFI_SECRET: {"agent", "team"}, ERASURE_SECRET: {"team"}, MESSAGE_SECRET: {"team"}, AUDIT_SECRET: {"team"}}


@dataclass
class World:
    users: dict[str, User]
    edition_slug: str
    organisation: Organisation
    defi_id: int
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
    users = {
        "person": UserFactory(email="personne@exemple.fr"),
        "agent": agent,
        "other_agent": approved_member(other, email="autre-agent@exemple.gouv.fr"),
        "team": ProgrammeTeamFactory(email="equipe@numerique.gouv.fr"),
    }
    defi = DefiFactory(edition=edition, organisation=dgfip, title=DEFI_SECRET)
    CoEditorFactory(defi=defi, user=agent)
    membership = MembershipFactory(organisation=dgfip, status=Membership.Status.PENDING)
    message = OutboxMessage.objects.create(to=agent.email, subject=MESSAGE_SECRET, body="…")
    erasure = request_erasure(actor=users["person"], reason=ERASURE_SECRET)
    record_event(actor=users["team"], action="test.secret", target=dgfip, data={"note": AUDIT_SECRET})
    demarche = DemarcheFactory()
    return World(
        users=users,
        edition_slug=edition.slug,
        organisation=dgfip,
        defi_id=defi.pk,
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

    def status_of(self, role: str) -> int:
        return int(self.statuses.split()[ROLES.index(role)])


def edition(world: World) -> dict[str, Any]:
    return {"edition_slug": world.edition_slug}


def slug(world: World) -> dict[str, Any]:
    return {"slug": world.edition_slug}


def defi(world: World) -> dict[str, Any]:
    return {"pk": world.defi_id}


def missing(*names: str) -> Kwargs:
    """The edition's slug, and ids of objects that do not exist (the page's access check still runs first)."""

    def kwargs(world: World) -> dict[str, Any]:
        values = {
            "edition_slug": world.edition_slug,
            "slug": world.edition_slug,
            "pk": MISSING,
            "defi_pk": MISSING,
            "attachment_pk": MISSING,
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


PUBLIC = "200 200 200 200 200"
SIGNED_IN = "302 200 200 200 200"
SIGNED_IN_POST = "302 405 405 405 405"
TEAM = "302 403 403 403 200"
TEAM_POST = "302 403 403 403 405"
TEAM_MISSING = "302 403 403 403 404"  # a team page about an object that does not exist
JUROR_ONLY = "302 404 404 404 404"  # no role here has a jury seat yet
EDIT_POST = "302 404 405 404 403"  # a co-editor's action: out of others' scope, refused to the team

EXPECTATIONS: dict[str, Expect] = {
    # The site's own pages
    "": Expect(PUBLIC),
    "accessibilite/": Expect(PUBLIC),
    "mentions-legales/": Expect(PUBLIC),
    "donnees-personnelles/": Expect(PUBLIC),
    "i18n/setlang/": Expect("302 302 302 302 302"),  # a GET changes nothing and goes back
    # Programmes
    "editions/<slug:slug>/": Expect(PUBLIC, slug),
    "equipe/": Expect(TEAM),
    "demarches/": Expect(PUBLIC),
    "demarches/<int:observatory_id>/": Expect(PUBLIC, lambda world: {"observatory_id": world.observatory_id}),
    # Organisations
    "organisations/mes-organisations/": Expect(SIGNED_IN),
    "organisations/demandes/<int:pk>/": Expect("302 404 404 404 200", membership),
    "organisations/demandes/<int:pk>/accepter/": Expect("404 404 404 404 405", membership),
    "organisations/demandes/<int:pk>/refuser/": Expect("404 404 404 404 405", membership),
    "organisations/demandes/<int:pk>/role/": Expect("404 404 404 404 405", membership),
    "organisations/<slug:slug>/": Expect(PUBLIC, lambda world: {"slug": world.organisation.slug}),
    "organisations/<slug:slug>/nature/": Expect(TEAM_POST, lambda world: {"slug": world.organisation.slug}),
    # Challenges
    "defis/": Expect(SIGNED_IN),
    "defis/nouveau/<slug:edition_slug>/": Expect(SIGNED_IN, edition),
    "defis/demarches/": Expect(SIGNED_IN),
    "defis/<int:pk>/": Expect("302 404 200 404 200", defi),
    "defis/<int:pk>/modifier/": Expect("302 404 200 404 403", defi),
    "defis/<int:pk>/brouillon/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/verifications/": Expect("302 404 200 404 200", defi),
    "defis/<int:pk>/pieces-jointes/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/pieces-jointes/<int:attachment_pk>/": Expect(
        "302 404 404 404 404", lambda world: {"pk": world.defi_id, "attachment_pk": MISSING}
    ),
    "defis/<int:pk>/pieces-jointes/<int:attachment_pk>/supprimer/": Expect(
        EDIT_POST, lambda world: {"pk": world.defi_id, "attachment_pk": MISSING}
    ),
    "defis/<int:pk>/coediteurs/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/soumettre/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/retirer/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/rouvrir/": Expect(EDIT_POST, defi),
    "defis/<int:pk>/recepisse/": Expect("302 404 404 404 404", defi),  # a draft has no receipt yet
    "equipe/defis/<slug:edition_slug>/": Expect(TEAM, edition),
    r"equipe/defis/^(?P<edition_slug>[-\w]+)/export\.(?P<fmt>csv|xlsx)$": Expect(
        TEAM, lambda world: {"edition_slug": world.edition_slug, "fmt": "csv"}
    ),
    "equipe/defis/<slug:edition_slug>/relance/": Expect(TEAM_POST, edition),
    # The team's workspace and the jury (reviewed on 26 November 2026: every team page refuses the others;
    # a jury page is out of scope for anyone without a seat; an object that does not exist is a 404)
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
    "jury/": Expect("302 200 200 200 200"),
    "jury/<slug:edition_slug>/": Expect(JUROR_ONLY, missing("edition_slug")),
    "jury/<slug:edition_slug>/conflits/": Expect(JUROR_ONLY, missing("edition_slug")),
    "jury/<slug:edition_slug>/defis/<int:defi_pk>/": Expect(JUROR_ONLY, missing("edition_slug", "defi_pk")),
    "jury/<slug:edition_slug>/preferences/": Expect(JUROR_ONLY, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/<int:pk>/retirer/": Expect(TEAM_POST, missing("edition_slug", "pk")),
    "jury/equipe/<slug:edition_slug>/affectation/ajouter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/affectation/automatique/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/classement.csv": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/classement/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/conflits/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/conflits/detecter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/criteres/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/criteres/<int:pk>/supprimer/": Expect(TEAM_POST, missing("edition_slug", "pk")),
    "jury/equipe/<slug:edition_slug>/deliberation/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/deliberation/<int:defi_pk>/": Expect(
        TEAM_POST, missing("edition_slug", "defi_pk")
    ),
    "jury/equipe/<slug:edition_slug>/inviter/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/notifications/": Expect(TEAM, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/notifications/envoyer/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/equipe/<slug:edition_slug>/reglages/": Expect(TEAM_POST, missing("edition_slug")),
    "jury/invitation/<uuid:token>/": Expect("404 404 404 404 404", missing("token")),
    "jury/invitation/<uuid:token>/accepter/": Expect("405 405 405 405 405", missing("token")),
    "jury/invitation/<uuid:token>/refuser/": Expect("405 405 405 405 405", missing("token")),
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
    "compte/login/": Expect("200 302 302 302 302"),
    "compte/logout/": Expect("302 200 200 200 200"),
    "compte/inactive/": Expect(PUBLIC),
    "compte/signup/": Expect("200 302 302 302 302"),
    "compte/reauthenticate/": Expect(SIGNED_IN),
    "compte/email/": Expect(SIGNED_IN),
    "compte/confirm-email/": Expect(PUBLIC),
    "compte/password/change/": Expect(SIGNED_IN),
    "compte/password/set/": Expect("302 302 302 302 302"),  # they all have a password already
    "compte/password/reset/": Expect(PUBLIC),
    "compte/login/code/confirm/": Expect("302 302 302 302 302"),  # no code requested
    r"compte/^confirm-email/(?P<key>[-:\w]+)/$": Expect(PUBLIC, lambda world: {"key": "inconnue"}),
    "compte/password/reset/key/done/": Expect(PUBLIC),
    r"compte/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Expect(
        PUBLIC, lambda world: {"uidb36": "0", "key": "inconnue"}
    ),
    "compte/password/reset/done/": Expect(PUBLIC),
    "compte/login/code/": Expect("200 302 302 302 302"),
    "compte/3rdparty/login/cancelled/": Expect(PUBLIC),
    "compte/3rdparty/login/error/": Expect("401 401 401 401 401"),  # allauth's status for a failed sign-in
    "compte/3rdparty/signup/": Expect("302 302 302 302 302"),  # only in the middle of a ProConnect sign-up
    "compte/3rdparty/": Expect(SIGNED_IN),
    "compte/social/login/cancelled/": Expect("301 301 301 301 301"),  # allauth's old addresses
    "compte/social/login/error/": Expect("301 301 301 301 301"),
    "compte/social/signup/": Expect("301 301 301 301 301"),
    "compte/social/connections/": Expect("301 301 301 301 301"),
    "compte/proconnect/login/": Expect("404 404 404 404 404"),
    "compte/proconnect/login/callback/": Expect("404 404 404 404 404"),
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
    assert {action for action in written if not action.endswith(".exported")} == set()
    assert ErasureRequest.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif(os.environ.get("ACCESS_MATRIX_DUMP") != "1", reason="set ACCESS_MATRIX_DUMP=1 to print")
def test_dump_statuses_of_patterns_without_expectation():
    """Print what the code answers today for the patterns that have no expectation yet."""
    world = build_world()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    for route in sorted(set(resolver_routes()) - set(EXPECTATIONS)):
        try:
            url = reverse(_url_name(route), kwargs=missing(*_arguments(route))(world))
        except Exception as error:  # noqa: BLE001  # a dump for a person to read
            print(f"{route!r}: cannot build a URL ({error})")  # noqa: T201
            continue
        statuses = " ".join(str(clients[role].get(url).status_code) for role in ROLES)
        print(f'    {route!r}: Expect("{statuses}", ...),  # {url}')  # noqa: T201


def _arguments(route: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
