"""What the tests need from the sandbox but do not test: where it runs (from the environment
tests/conformance/run.sh sets), its demo organisation, and a browserless sign-in to its
Salesforce login host. requests trusts the sandbox's CA through REQUESTS_CA_BUNDLE, which
run.sh sets; the Sessions made here also name it in `verify`."""

import base64
import hashlib
import os
import secrets
import urllib.parse
from dataclasses import dataclass

import pytest
import requests

DANIEL = "daniel.reyes@contoso.com"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run these tests through tests/conformance/run.sh", 2)
    return value


@dataclass(frozen=True)
class Sandbox:
    origin: str
    ca_file: str
    authority: str
    graph_url: str
    client_id: str
    sf_login_url: str
    sf_client_id: str

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.ca_file
        return session


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    return Sandbox(
        origin=_required("SANDBOX_URL"),
        ca_file=_required("SANDBOX_CA_FILE"),
        authority=_required("SANDBOX_AUTHORITY"),
        graph_url=_required("SANDBOX_GRAPH_URL"),
        client_id=_required("SANDBOX_CLIENT_ID"),
        sf_login_url=_required("SANDBOX_SF_LOGIN_URL"),
        sf_client_id=_required("SANDBOX_SF_CLIENT_ID"),
    )


@pytest.fixture(scope="session")
def demo_org(sandbox: Sandbox) -> dict:
    """The sandbox's description of its demo organisation (`GET /_sandbox/org`)."""
    response = sandbox.session().get(f"{sandbox.origin}/_sandbox/org", timeout=10)
    response.raise_for_status()
    return response.json()


def demo_user(org: dict, address: str) -> dict:
    return next(u for u in org["users"] if u["address"] == address)


def redirect_query(response: requests.Response) -> dict:
    """The query of a 302 to the loopback redirect URI."""
    assert response.status_code == 302, response.text
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response.headers["Location"]).query))


def salesforce_sign_in(sandbox: Sandbox, address: str) -> dict:
    """The OAuth web server flow with PKCE by hand: authorize with `login_hint` (the sandbox's
    login host redirects at once), then redeem the code. Returns the token response."""
    session = sandbox.session()
    verifier = secrets.token_urlsafe(64)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect_uri = "http://localhost:53101/callback"
    state = secrets.token_urlsafe(16)
    authorize = session.get(
        f"{sandbox.sf_login_url}/services/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": sandbox.sf_client_id,
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "login_hint": address,
            "state": state,
        },
        allow_redirects=False,
        timeout=10,
    )
    query = redirect_query(authorize)
    assert query["state"] == state
    token = session.post(
        f"{sandbox.sf_login_url}/services/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"],
            "client_id": sandbox.sf_client_id,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    return token.json()
