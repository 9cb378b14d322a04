"""The API's one renderer and what is joined into its answers (api/negotiation.py)."""

from __future__ import annotations

import json

from api.negotiation import json_with_rendered
from api.renderers import JSONRenderer


def test_rendered_members_join_the_answer_as_if_rendered_with_it():
    rows = [{"rank": 1, "name": "张*", "score": "100.00"}, {"rank": 2, "name": "李*", "score": "98.50"}]
    me = {"rank": 7, "name": "王五", "score": "90.00"}
    data = {"count": 2, "next": None, "ranked_count": 82}
    body = json_with_rendered(
        data, {"results": [JSONRenderer().render(row) for row in rows], "me": JSONRenderer().render(me)}
    )
    assert json.loads(body) == {**data, "results": rows, "me": me}
    assert "张*".encode() in body  # as the API renders: not \\u-escaped
    assert json.loads(json_with_rendered({}, {"results": [], "me": None})) == {"results": [], "me": None}
