"""Message paging with `after` and `before`, also on a server that ignores `after` on item lists."""

from __future__ import annotations

from .conftest import Backend
from .test_scenarios import text


def test_messages_paging_with_after_and_before(backend: Backend) -> None:
    client = backend.client
    contents = [f"Message {n}" for n in range(7)]
    thread = client.beta.threads.create(messages=[{"role": "user", "content": c} for c in contents])
    messages = client.beta.threads.messages

    first = messages.list(thread.id, order="asc", limit=2)
    assert ([text(m) for m in first.data], first.has_more) == (contents[0:2], True)
    second = messages.list(thread.id, order="asc", limit=2, after=first.data[-1].id)
    assert ([text(m) for m in second.data], second.has_more) == (contents[2:4], True)
    third = messages.list(thread.id, order="asc", limit=2, after=second.data[-1].id)
    assert ([text(m) for m in third.data], third.has_more) == (contents[4:6], True)
    back = messages.list(thread.id, order="asc", limit=2, before=third.data[0].id)
    assert [text(m) for m in back.data] == contents[2:4]
    newest_back = messages.list(thread.id, limit=2, before=first.data[0].id)
    assert [text(m) for m in newest_back.data] == contents[2:0:-1]
    assert [text(m) for m in messages.list(thread.id, order="asc", limit=2)] == contents
    assert [text(m) for m in messages.list(thread.id, limit=3)] == contents[::-1]
