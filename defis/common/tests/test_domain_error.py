"""`DomainError`: the one base of refused rules, with a stable code and a message for people."""

import pytest

from defis.common.errors import DomainError


class CallClosedForTest(DomainError):
    code = "call_closed"


def test_domain_error_carries_message_field_and_default_code() -> None:
    error = DomainError("Le SIRET est inconnu.", field="siret")

    assert (error.message, error.field, error.code) == ("Le SIRET est inconnu.", "siret", "refused")
    assert str(error) == "Le SIRET est inconnu."
    assert error.args == ("Le SIRET est inconnu.",)


def test_domain_error_without_field_is_tied_to_no_field() -> None:
    error = DomainError("Refusé.")

    assert error.field is None


def test_domain_error_subclass_keeps_its_own_code_and_is_caught_as_the_base() -> None:
    with pytest.raises(DomainError) as caught:
        raise CallClosedForTest("L’appel est clos.")

    assert (caught.value.code, caught.value.message) == ("call_closed", "L’appel est clos.")


def test_domain_error_field_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        DomainError("Refusé.", "siret")  # type: ignore[misc]  # the point of the test
