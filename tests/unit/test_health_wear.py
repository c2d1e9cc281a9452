# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gethealth.cgi's wear and what it says about the card: axis_card is true for wear 0 or more, false for a
negative wear that says "not an Axis card" (-1: not supported for the disk), and null (unknown, never false)
where the camera does not say: no wear attribute, -2 (an error occurred), -3 (no disk present)."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml


def health_of(attributes):
    root = _xml.parse('<HealthStatusResponse><HealthStatusSuccess><HealthStatus diskid="SD_DISK" %s/>'
                      '</HealthStatusSuccess></HealthStatusResponse>' % attributes)
    return _parsers.parse_health(root)["SD_DISK"]


@pytest.mark.parametrize("attributes, wear, axis_card", [
    ('wear="0"', 0, True),
    ('wear="25"', 25, True),
    ('wear="104"', 104, True),
    ('wear="-1"', -1, False),
    ('wear="-2"', -2, None),
    ('wear="-3"', -3, None),
    ('temperature="315" overallhealth="1"', None, None),
    ('wear=""', None, None),
])
def test_axis_card_is_what_the_wear_says_and_null_where_it_says_nothing(attributes, wear, axis_card):
    health = health_of(attributes)
    assert health["wear"] == wear
    assert health["axis_card"] is axis_card
