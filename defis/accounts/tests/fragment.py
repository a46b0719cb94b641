"""Pages, mails and messages of accounts and organisations speak French in tests even before the
lead merges defis/locale/fragments/accounts.po into the project catalogue: msgfmt compiles the
fragment into a temporary locale directory put first in LOCALE_PATHS. Once merged, this changes
nothing. Import both fixtures into a conftest.py to use them."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import LazySettings, settings

FRAGMENT = Path(settings.BASE_DIR) / "defis" / "locale" / "fragments" / "accounts.po"


@pytest.fixture(scope="session")
def accounts_fragment_locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    locale_dir = tmp_path_factory.mktemp("accounts-locale")
    mo = locale_dir / "fr" / "LC_MESSAGES" / "django.mo"
    mo.parent.mkdir(parents=True)
    msgfmt = shutil.which("msgfmt")  # gettext, which `make install` installs for compilemessages
    assert msgfmt is not None, "msgfmt (GNU gettext) is missing: run `make install`"
    subprocess.run([msgfmt, "--check", "-o", str(mo), str(FRAGMENT)], check=True)  # noqa: S603  # our own file
    return locale_dir


@pytest.fixture(autouse=True)
def _accounts_fragment_translations(settings: LazySettings, accounts_fragment_locale_dir: Path) -> None:
    settings.LOCALE_PATHS = [accounts_fragment_locale_dir, *settings.LOCALE_PATHS]
