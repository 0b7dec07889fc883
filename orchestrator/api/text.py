"""Text the store can keep: well-formed Unicode without NUL characters."""

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# The same rule as a JSON Schema pattern, for the OpenAPI document (no NUL, no lone surrogate).
STORABLE_PATTERN = "^[^\\u0000\\ud800-\\udfff]*$"


def storable(text: str) -> str:
    """`text` unchanged, or ValueError naming what the store can't keep."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return text
    if found.group() == "\x00":
        raise ValueError(f"contains a NUL character at position {found.start()}")
    raise ValueError(
        f"contains a lone surrogate (U+{ord(found.group()):04X}) at position {found.start()}: not valid Unicode"
    )
