"""Placeholder until the client lands: see issue 3."""


def current_session_tokens() -> list[str]:
    return []
