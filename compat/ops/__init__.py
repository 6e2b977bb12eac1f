"""The operations behind the legacy methods, written once for the sync and the async client.

Each operation is a generator of effects (see ``compat._effects``); the resource classes are thin
wrappers that check arguments against the parameter table and drive the operation.
"""
