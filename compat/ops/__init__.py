"""The legacy operations, one module per resource, written once for the sync and the async client.

Each operation is a generator of typed effects (see ``compat._effects``): it says which API calls, store
calls and stream events it needs, and a sync or an async driver performs them. Operations take the caller's
arguments as checked by the parameter table (``compat.params``) and translate with ``compat.translate``;
the legacy surface (``compat.resources``) binds each SDK method to one of them.

- ``assistants``, ``threads``, ``messages``, ``steps``: one module per resource;
- ``runs``: the run lifecycle; its model turns in ``_turns``, and in ``_settle`` the runs nobody drives any
  more (expired, abandoned) and the tool calls they leave unanswered;
- ``_owner``: which process drives a run's turn, and whether it still lives.
"""
