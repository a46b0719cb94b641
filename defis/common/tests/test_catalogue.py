"""The French catalogue holds every message of the code, translated and not fuzzy (STYLE.md, i18n).

The code is extracted afresh with `makemessages` in a copy of the tree, so that the test judges the
code as it is, not the catalogue as it was last refreshed.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "defis" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# What `make messages` leaves out, what is not code, and the catalogue itself (extracted afresh).
NOT_CODE = shutil.ignore_patterns(".venv", "node_modules", "var", "__pycache__", "*.pyc", "locale", "test-results")
SHOWN = 50

Key = tuple[str | None, str]


def _require_gettext() -> None:
    if shutil.which("xgettext") and shutil.which("msgfmt"):
        return
    message = "GNU gettext is missing: install it with `bash scripts/system-deps.sh gettext`."
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def messages_of_the_code(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """Every message of the code, as `makemessages -l fr --no-obsolete` extracts it today."""
    _require_gettext()
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "defis", tree / "defis", ignore=NOT_CODE)
    shutil.copy2(ROOT / "manage.py", tree / "manage.py")
    (tree / "defis" / "locale").mkdir()
    env = {**os.environ, "SECRET_KEY": settings.SECRET_KEY, "DJANGO_SETTINGS_MODULE": "defis.settings"}
    command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "--add-location=file"]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return polib.pofile(str(tree / "defis" / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _plural_count(catalogue: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def _problem(wanted: polib.POEntry, entry: polib.POEntry | None, plurals: int) -> str | None:
    if entry is None:
        return "missing"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if wanted.msgid_plural:
        forms = [entry.msgstr_plural.get(index, "") for index in range(plurals)]
        if entry.msgid_plural != wanted.msgid_plural or not all(forms):
            return "plural forms missing"
        return None
    return None if entry.msgstr else "untranslated"


def _describe(problem: str, entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    where = ", ".join(sorted({path for path, _line in entry.occurrences}))
    return f"- {problem}: {context}{entry.msgid!r} ({where})"


def test_french_catalogue_translates_every_message_of_the_code(messages_of_the_code: polib.POFile) -> None:
    committed = polib.pofile(str(CATALOGUE))
    entries = {_key(entry): entry for entry in committed if not entry.obsolete}
    plurals = _plural_count(committed)

    problems = []
    for wanted in messages_of_the_code:
        problem = _problem(wanted, entries.get(_key(wanted)), plurals)
        if problem is not None:
            problems.append(_describe(problem, wanted))

    if problems:
        shown = "\n".join(problems[:SHOWN])
        more = f"\n… and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        pytest.fail(
            f"{len(problems)} of the {len(messages_of_the_code)} messages of the code are missing, untranslated"
            f" or fuzzy in defis/locale/fr/LC_MESSAGES/django.po (`make messages`, then translate):\n{shown}{more}",
            pytrace=False,
        )


def test_french_catalogue_keeps_the_placeholders_of_each_message() -> None:
    _require_gettext()

    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "--output-file=/dev/null", str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
