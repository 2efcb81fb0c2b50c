"""Who the parties of an event are (issue 16, parties): people, coreference and false parties.

Every sentence here is written for the test; none comes from a gold set.
"""

from __future__ import annotations

from datetime import date

from communique.events.extractor import EventExtractor
from tests.support.extraction import dyads


def test_a_pope_before_2013_is_the_holy_see(extractor: EventExtractor) -> None:
    """The people table knows the popes before Francis: 'Pope John Paul II' in 2003 is VATGOV."""
    text = "Chilean President Ricardo Lagos met Pope John Paul II at the Vatican on Monday."
    found = dyads(extractor.extract("test", text, date(2003, 5, 8)))
    assert ("040", "CHL", "VAT") in found or ("042", "CHL", "VAT") in found
