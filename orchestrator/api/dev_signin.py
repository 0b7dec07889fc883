"""Development sign-in for the web page: the seeded customers, and a shopper token for one of them.

The app includes this router only when `ENVIRONMENT` is not `production`: in production these paths
do not exist (404, and absent from the OpenAPI document). The customers come from the store's
`customers` table through the orchestrator's own database engine.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import column, select, table
from sqlalchemy.exc import DBAPIError

from agents.identity import STOREFRONT_AUDIENCE, TokenCodec
from orchestrator.api.dependencies import AppSettings, Service, get_token_codec
from orchestrator.api.errors import documented
from orchestrator.api.models import StorableText
from orchestrator.api.text import STORABLE_PATTERN

# The store owns this table; the orchestrator only reads the columns the picker shows.
_customers = table("customers", column("customer_id"), column("name"), column("tier"))

router = APIRouter(prefix="/dev", tags=["development sign-in"])


class Customer(BaseModel):
    customer_id: str
    name: str
    tier: str


class CustomerList(BaseModel):
    customers: list[Customer]


class TokenRequest(BaseModel):
    customer_id: StorableText = Field(min_length=1, max_length=64, json_schema_extra={"pattern": STORABLE_PATTERN})


class ShopperToken(BaseModel):
    token: str
    customer_id: str
    name: str
    expires_in: int = Field(description="Seconds the token is valid")


async def _read_customers(service: Service, customer_id: str | None = None) -> list[Customer]:
    query = select(_customers.c.customer_id, _customers.c.name, _customers.c.tier).order_by(_customers.c.customer_id)
    if customer_id is not None:
        query = query.where(_customers.c.customer_id == customer_id)
    try:
        async with service.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
    except DBAPIError:
        raise HTTPException(503, detail="the store's customers can't be read (is the store seeded?)") from None
    return [Customer(customer_id=r.customer_id, name=r.name, tier=r.tier) for r in rows]


@router.get("/customers", summary="The seeded customers a developer can sign in as", responses=documented(503))
async def customers(service: Service) -> CustomerList:
    return CustomerList(customers=await _read_customers(service))


@router.post("/token", summary="A shopper token for a seeded customer", responses=documented(404, 422, 503))
async def token(
    body: TokenRequest,
    service: Service,
    settings: AppSettings,
    codec: Annotated[TokenCodec, Depends(get_token_codec)],
) -> ShopperToken:
    found = await _read_customers(service, body.customer_id)
    if not found:
        raise HTTPException(404, detail=f"no customer {body.customer_id!r}")
    ttl = settings.shopper_token_ttl_s
    minted = codec.mint(STOREFRONT_AUDIENCE, body.customer_id, ttl)
    return ShopperToken(token=minted, customer_id=body.customer_id, name=found[0].name, expires_in=ttl)
