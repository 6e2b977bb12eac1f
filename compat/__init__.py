"""assistants-compat: the OpenAI Assistants API on the Responses and Conversations APIs.

Change one import and legacy code keeps working::

    from compat import OpenAI   # was: from openai import OpenAI

    client = OpenAI()
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[...])
    thread = client.beta.threads.create()
    ...

Threads are conversations, messages are conversation items, runs are responses; what the server cannot
hold lives in a local store (SQLite by default, PostgreSQL for shared state). Azure code changes
``from openai import AzureOpenAI`` the same way (``AzureOpenAI``, ``AsyncAzureOpenAI``: Azure's v1 API).
"""

from openai import AssistantEventHandler, AsyncAssistantEventHandler

from ._azure import AsyncAzureOpenAI, AzureOpenAI
from ._client import AsyncOpenAI, OpenAI, wrap

__all__ = [
    "AssistantEventHandler",
    "AsyncAssistantEventHandler",
    "AsyncAzureOpenAI",
    "AsyncOpenAI",
    "AzureOpenAI",
    "OpenAI",
    "wrap",
]
