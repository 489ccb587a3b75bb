"""The OpenAPI 3 document built from the request schemas (api.schemas.openapi())."""

from __future__ import annotations

import copy
from typing import Any

from api.endpoints import MAX_VERSION
from api.schemas.common import Schema


def document(schemas: dict[str, Schema]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "taskstream (ClearML API)", "version": MAX_VERSION},
        "paths": {
            f"/{name}": {"post": _operation(name, schema)}
            for name, schema in sorted(schemas.items())
        },
        "components": {"schemas": {"Envelope": _ENVELOPE}},
    }


def _operation(name: str, schema: Schema) -> dict[str, Any]:
    service = name.split(".", maxsplit=1)[0]
    return {
        "operationId": name,
        "tags": [service],
        "requestBody": {"content": {"application/json": {"schema": copy.deepcopy(schema)}}},
        "responses": {
            "200": _answer("the result in `data`"),
            "default": _answer("an error: result_code, result_subcode and result_msg in `meta`"),
        },
    }


def _answer(description: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Envelope"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


_ENVELOPE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "meta": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "trx": {"type": "string"},
                "result_code": {"type": "integer"},
                "result_subcode": {"type": "integer"},
                "result_msg": {"type": "string"},
                "error_data": {"type": "object"},
            },
        },
        "data": {},
    },
    "required": ["meta", "data"],
}
