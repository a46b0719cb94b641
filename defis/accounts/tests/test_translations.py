import gettext
import re
from pathlib import Path

from defis.accounts.tests.fragment import FRAGMENT


def test_every_message_of_the_fragment_has_its_french(accounts_fragment_locale_dir: Path) -> None:
    entries = len(re.findall(r"^msgid ", FRAGMENT.read_text(encoding="utf-8"), re.MULTILINE))
    with (accounts_fragment_locale_dir / "fr" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        translated = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]  # msgfmt drops empty ones

    assert len(translated) == entries  # the header included in both
    assert translated["Sign In"] == "Connexion"
