"""Pure translation between the legacy Assistants objects and the Responses / Conversations APIs.

No I/O, no clock, no random ids: callers pass ``now`` and ids in.
"""
