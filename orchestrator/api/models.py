"""The request, answer and error bodies of the storefront chat API."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from orchestrator.api.text import STORABLE_PATTERN, storable

StorableText = Annotated[str, AfterValidator(storable)]

# A message has something besides whitespace, and nothing the store can't keep.
MESSAGE_PATTERN = "^[^\\u0000\\ud800-\\udfff]*[^\\s\\u0000\\ud800-\\udfff][^\\u0000\\ud800-\\udfff]*$"


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


MessageText = Annotated[StorableText, AfterValidator(_not_blank)]


class ChatRequest(BaseModel):
    """A shopper message; `conversation_id` continues a conversation, null starts one."""

    message: MessageText = Field(
        description="What the shopper says: not blank, at most the configured number of characters",
        json_schema_extra={"minLength": 1, "pattern": MESSAGE_PATTERN},
    )
    conversation_id: StorableText | None = Field(
        default=None, max_length=64, json_schema_extra={"pattern": STORABLE_PATTERN}
    )


class Usage(BaseModel):
    llm_calls: int
    input_tokens: int
    output_tokens: int


class Handoff(BaseModel):
    source: str
    target: str


class ChatAnswer(BaseModel):
    """The answer to one shopper message."""

    conversation_id: str
    reply: str
    agent: str | None
    route: list[str]
    handoffs: list[Handoff]
    usage: Usage


class ErrorBody(BaseModel):
    """Every error answer: a stable code, a message for people, and details where they help."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(min_length=1, description="A stable code, e.g. not_found, conflict, store_unavailable")
    message: str = Field(min_length=1, description="What went wrong, in words a person can act on")


class TranscriptMessage(BaseModel):
    """One message of a transcript and who wrote it."""

    model_config = ConfigDict(extra="allow")

    turn: int
    role: str
    author: str
    text: str
    at: str


class Transcript(BaseModel):
    """A conversation's messages, oldest first."""

    model_config = ConfigDict(extra="allow")

    conversation_id: str
    created_at: str
    turns: int
    last_agent: str | None
    messages: list[TranscriptMessage]
