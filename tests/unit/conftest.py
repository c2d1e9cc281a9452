# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every Transcript (tests/unit/double.py) a unit test makes must be used up when the test ends."""

from __future__ import annotations

import pytest

from tests.unit import double


@pytest.fixture(autouse=True)
def transcripts_used_up():
    """Fail a test that left expected calls unmade, or whose code swallowed an unexpected call."""
    del double.LIVE[:]
    yield
    made = list(double.LIVE)
    del double.LIVE[:]
    for transcript in made:
        transcript.assert_done()
