"""The legacy surface: ``client.beta.assistants`` and ``client.beta.threads`` (messages, runs, steps)."""
