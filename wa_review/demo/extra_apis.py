"""The APIs the sample account needs and moto lacks, served in front of moto on the same port.

moto has no IAM Access Analyzer and no Route 53 Resolver DNS Firewall, and its WAFv2 cannot
list the resources of a web ACL. Without them the demo's collection reported three errors that
no real account would show. This WSGI layer answers those read operations, as botocore's
models define them, with the airline's data (`extra_data.py`); every other request goes on to
moto. The web ACL associations are the ones the build made: AssociateWebACL is noted on its
way to moto.

A request for a service moto has no backend for gets an AWS-shaped `NotImplemented` error
(which collection records as ApiUnavailable), instead of moto printing its advice about
urls.py to the reviewer's terminal.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from wa_review.demo import extra_data

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Handler = Callable[[dict[str, Any]], dict[str, Any]]

# Resource types ListResourcesForWebACL takes, by the service in the protected resource's ARN.
_WAF_TYPES = {"apigateway": "API_GATEWAY", "appsync": "APPSYNC"}


class NoBackend(Exception):
    """moto has no backend for the host a request was meant for."""


class ExtraApis:
    """WSGI middleware: the airline's Access Analyzer, DNS Firewall and WAF associations."""

    def __init__(self, moto: Wsgi) -> None:
        self._moto = moto
        self._lock = threading.Lock()
        self._web_acl_resources: dict[str, list[str]] = {}
        self.airline_vpc = ""  # set once the build has made the VPC
        self._json11: dict[tuple[str, str], Handler] = {
            ("route53resolver", "ListFirewallRuleGroupAssociations"): self._associations,
            ("route53resolver", "ListFirewallConfigs"): self._configs,
            ("route53resolver", "ListFirewallRules"): self._rules,
            ("route53resolver", "ListFirewallDomainLists"): self._domain_lists,
            ("route53resolver", "ListFirewallDomains"): self._domains,
            ("wafv2", "ListResourcesForWebACL"): self._web_acl_resources_of,
        }

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        service = _signing_service(environ)
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "").rpartition(".")[2]
        if service == "access-analyzer":
            return self._access_analyzer(environ, start_response)
        handler = self._json11.get((service, target))
        if handler is not None:
            return _answer(start_response, 200, handler(_body(environ)), json11=True)
        if (service, target) == ("wafv2", "AssociateWebACL"):
            self._note_association(_body(environ))
        try:
            return self._moto(environ, start_response)
        except NoBackend as missing:
            error = {"__type": "NotImplemented", "message": f"no emulator for {missing}"}
            return _answer(start_response, 501, error, json11=True)

    def _access_analyzer(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if (method, path) == ("GET", "/analyzer"):
            return _answer(start_response, 200, {"analyzers": extra_data.analyzers()})
        if (method, path) == ("POST", "/finding"):
            wanted = _body(environ).get("filter", {}).get("status", {}).get("eq")
            found = [f for f in extra_data.findings() if not wanted or f["status"] in wanted]
            return _answer(start_response, 200, {"findings": found})
        error = {"__type": "NotImplemented", "message": f"no emulator for {method} {path}"}
        return _answer(start_response, 501, error, code="NotImplemented")

    def _associations(self, _params: dict[str, Any]) -> dict[str, Any]:
        found = extra_data.associations(self.airline_vpc) if self.airline_vpc else []
        return {"FirewallRuleGroupAssociations": found}

    def _configs(self, _params: dict[str, Any]) -> dict[str, Any]:
        found = extra_data.configs(self.airline_vpc) if self.airline_vpc else []
        return {"FirewallConfigs": found}

    def _rules(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"FirewallRules": extra_data.rules(str(params.get("FirewallRuleGroupId")))}

    def _domain_lists(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"FirewallDomainLists": [d.summary() for d in extra_data.DOMAIN_LISTS]}

    def _domains(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Domains": extra_data.domains(str(params.get("FirewallDomainListId")))}

    def _note_association(self, params: dict[str, Any]) -> None:
        acl, resource = str(params.get("WebACLArn", "")), str(params.get("ResourceArn", ""))
        with self._lock:
            self._web_acl_resources.setdefault(acl, []).append(resource)

    def _web_acl_resources_of(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = params.get("ResourceType", "APPLICATION_LOAD_BALANCER")
        with self._lock:
            found = list(self._web_acl_resources.get(str(params.get("WebACLArn")), []))
        return {"ResourceArns": [r for r in found if _waf_type(r) == wanted]}


def _waf_type(arn: str) -> str:
    parts = arn.split(":")
    return _WAF_TYPES.get(parts[2], "") if len(parts) > 2 else ""


def _signing_service(environ: dict[str, Any]) -> str:
    """The service in the SigV4 credential scope (`Credential=key/date/region/service/...`)."""
    auth = str(environ.get("HTTP_AUTHORIZATION") or "")
    scope = auth.partition("Credential=")[2].partition(",")[0].split("/")
    return scope[3].lower() if len(scope) >= 5 else ""


def _body(environ: dict[str, Any]) -> dict[str, Any]:
    """The JSON body, read once and put back for whoever reads the request next."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(size) if size else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _answer(
    start_response: Callable[..., Any],
    status: int,
    body: dict[str, Any],
    *,
    json11: bool = False,
    code: str = "",
) -> list[bytes]:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 501: "Not Implemented"}.get(status, "Error")
    headers = [
        ("Content-Type", "application/x-amz-json-1.1" if json11 else "application/json"),
        ("Content-Length", str(len(payload))),
    ]
    if code:
        headers.append(("x-amzn-ErrorType", code))
    start_response(f"{status} {reason}", headers)
    return [payload]


def quiet_moto_app() -> Wsgi:
    """moto's dispatcher, raising NoBackend where moto would print its advice and carry on."""
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    class QuietDispatcher(DomainDispatcherApplication):
        def get_backend_for_host(self, host: str | None) -> Any:
            if host is None or host == "moto_api" or host in backends.list_of_moto_modules():
                return host
            for backend, pattern in self.backend_url_patterns:
                if pattern.match(f"http://{host}"):
                    return backend
            if "amazonaws.com" in host:
                raise NoBackend(host)
            return None

    return QuietDispatcher(create_backend_app)
