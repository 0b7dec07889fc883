"""The request and answer bodies of the storefront chat API."""

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    """A shopper message; `conversation_id` continues a conversation, null starts one."""

    message: str = Field(description="What the shopper says")
    conversation_id: str | None = Field(default=None, max_length=64)


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
