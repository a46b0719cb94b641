"""Pages and messages of this app speak French in tests even before the lead merges
defis/locale/fragments/demarches.po into the project catalogue: the fragment is compiled into a
temporary locale directory put first in LOCALE_PATHS. Once merged, this fixture changes nothing."""

import ast
import struct
from array import array
from pathlib import Path

import pytest
from django.conf import LazySettings, settings

FRAGMENT = Path(settings.BASE_DIR) / "defis" / "locale" / "fragments" / "demarches.po"


def parse_po(text: str) -> dict[str, str]:
    """The translated entries of a po file, keyed as in a .mo file (plural forms joined by NUL)."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        if key == "msgid" and current:
            entries.append(current)
            current = {}
        current[key] = ast.literal_eval(value)
    entries.append(current)
    messages = {}
    for entry in entries:
        if "msgid_plural" in entry:
            forms = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr["))]
            if all(forms):
                messages[entry["msgid"] + "\0" + entry["msgid_plural"]] = "\0".join(forms)
        elif entry.get("msgstr"):
            messages[entry["msgid"]] = entry["msgstr"]
    return messages


def write_mo(messages: dict[str, str], path: Path) -> None:
    """A GNU .mo file, as CPython's Tools/i18n/msgfmt.py writes it."""
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        key_bytes, value_bytes = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + array("i", key_offsets).tobytes() + array("i", value_offsets).tobytes() + ids + strs)


@pytest.fixture(scope="session")
def fragment_locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    locale_dir = tmp_path_factory.mktemp("locale")
    write_mo(parse_po(FRAGMENT.read_text(encoding="utf-8")), locale_dir / "fr" / "LC_MESSAGES" / "django.mo")
    return locale_dir


@pytest.fixture(autouse=True)
def _fragment_translations(settings: LazySettings, fragment_locale_dir: Path) -> None:
    settings.LOCALE_PATHS = [fragment_locale_dir, *settings.LOCALE_PATHS]
