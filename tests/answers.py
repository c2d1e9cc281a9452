# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a test double of VapixClient.answer returns: a response with headers, and the body bytes."""

from __future__ import annotations


class FixtureResponse(object):
    """The part of a requests.Response that VapixClient reads after answer(): the headers."""

    def __init__(self, content_type):
        self.headers = {"Content-Type": content_type} if content_type else {}


def fixture_answer(text, content_type=None):
    """(response, body) as VapixClient.answer returns them, for a fixture's text sent as UTF-8."""
    return FixtureResponse(content_type), text.encode("utf-8")
