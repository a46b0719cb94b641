import re

from defis.demarches.tests.conftest import FRAGMENT, parse_po


def test_every_message_of_the_fragment_has_its_french() -> None:
    text = FRAGMENT.read_text(encoding="utf-8")
    entries = len(re.findall(r"^msgid ", text, re.MULTILINE)) - 1  # the header

    assert len(parse_po(text)) - 1 == entries == 104
