"""WA Tool emulator routing: method + path from botocore's `wellarchitected` model, and inputs."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from wa_review.watool.emulator_store import EmulatedError, Params


@dataclass(frozen=True, slots=True)
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    literal_chars: int
    query: Mapping[str, tuple[str, str]]  # wire name -> (member name, shape type)


@functools.cache
def routes() -> tuple[Route, ...]:
    """Every operation of the botocore model, most specific path first."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("wellarchitected", "2020-03-31")
    routes = []
    for name in model.operation_names:
        op = model.operation_model(name)
        path = op.http["requestUri"].split("?", 1)[0]
        regex = re.sub(
            r"\{(\w+)(\+?)\}",
            lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]+'})",
            path,
        )
        query: dict[str, tuple[str, str]] = {}
        if op.input_shape is not None:
            for member, shape in op.input_shape.members.items():
                if shape.serialization.get("location") == "querystring":
                    wire = shape.serialization.get("name", member)
                    query[wire] = (member, shape.type_name)
        literal = len(re.sub(r"\{[^}]*\}", "", path))
        routes.append(Route(name, op.http["method"], re.compile(f"^{regex}$"), literal, query))
    return tuple(sorted(routes, key=lambda r: -r.literal_chars))


def query_params(route: Route, query: str) -> Params:
    params: Params = {}
    for wire, values in parse_qs(query, keep_blank_values=True).items():
        member, type_name = route.query.get(wire, (wire, "string"))
        if type_name == "integer":
            try:
                params[member] = int(values[0])
            except ValueError as err:
                raise EmulatedError("ValidationException", f"{wire} must be an integer") from err
        elif type_name == "boolean":
            params[member] = values[0].lower() == "true"
        elif type_name == "list":
            params[member] = values
        else:
            params[member] = values[0]
    return params


def json_body(body: bytes) -> Params:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as err:
        raise EmulatedError(
            "ValidationException", "Unknown error parsing request body", Reason="CANNOT_PARSE"
        ) from err
    if not isinstance(data, dict):
        raise EmulatedError("ValidationException", "The body must be a JSON object")
    return data


def route_params(route: Route, raw_path: str, query: str, body: bytes) -> Params:
    """Input members by botocore name: URI labels, then the query string, then the JSON body."""
    match = route.pattern.match(raw_path)
    if match is None:
        raise EmulatedError("UnknownOperationException", f"{raw_path} is not {route.operation}")
    params: Params = {k: unquote(v) for k, v in match.groupdict().items()}
    params.update(query_params(route, query))
    params.update(json_body(body))
    return params
