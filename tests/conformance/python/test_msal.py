"""MSAL Python against the sandbox's identity platform: OpenID discovery, the device code flow,
the authorization code flow with PKCE, silent refresh, ID token signatures and an error's
shape. MSAL refuses http authorities, so this runs only over HTTPS; `instance_discovery=False`
is MSAL's documented switch for an authority outside Microsoft's known clouds."""

import ssl

import jwt
import msal
import pytest
import requests

from conftest import DANIEL, Sandbox, demo_user, redirect_query

SCOPES = ["User.Read", "Calendars.ReadWrite.Shared"]


def app(sandbox: Sandbox, **options) -> msal.PublicClientApplication:
    return msal.PublicClientApplication(
        sandbox.client_id, authority=sandbox.authority, instance_discovery=False, **options
    )


def sign_in_with_auth_code(sandbox: Sandbox, client: msal.PublicClientApplication) -> dict:
    flow = client.initiate_auth_code_flow(
        SCOPES, redirect_uri="http://localhost:53102/callback", login_hint=DANIEL
    )
    # The sandbox signs a user named in login_hint in at once: its authorize endpoint answers
    # with the redirect a browser would follow to MSAL's loopback listener.
    answer = sandbox.session().get(flow["auth_uri"], allow_redirects=False, timeout=10)
    return client.acquire_token_by_auth_code_flow(flow, redirect_query(answer))


def test_discovery_gives_the_tenants_endpoints(sandbox):
    client = app(sandbox)
    endpoints = client.authority
    assert endpoints.authorization_endpoint == f"{sandbox.authority}/oauth2/v2.0/authorize"
    assert endpoints.token_endpoint == f"{sandbox.authority}/oauth2/v2.0/token"
    assert endpoints.device_authorization_endpoint == f"{sandbox.authority}/oauth2/v2.0/devicecode"
    assert endpoints.tenant == sandbox.authority.rsplit("/", 1)[1]


def test_an_unknown_tenant_fails_as_msal_reports_it(sandbox):
    with pytest.raises(ValueError, match="Unable to get authority configuration") as failure:
        msal.PublicClientApplication(
            sandbox.client_id,
            authority=f"{sandbox.origin}/no-such-tenant.example",
            instance_discovery=False,
        )
    # MSAL raises while handling the discovery answer, which it keeps as the cause.
    discovery = str(failure.value.__context__)
    assert "HTTP status: 400" in discovery
    assert "AADSTS90002" in discovery and "invalid_tenant" in discovery


def test_device_code_flow(sandbox, demo_org):
    client = app(sandbox)
    # A flow nobody approved: one poll, without waiting, finds it pending.
    unapproved = client.initiate_device_flow(scopes=SCOPES)
    pending = client.acquire_token_by_device_flow(unapproved, exit_condition=lambda _: True)
    assert pending["error"] == "authorization_pending", pending

    flow = client.initiate_device_flow(scopes=SCOPES)
    assert "error" not in flow, flow
    assert flow["verification_uri"] == f"{sandbox.origin}/devicelogin"
    assert flow["interval"] == 5
    assert flow["user_code"] in flow["message"]

    approval = sandbox.session().post(
        flow["verification_uri"],
        data={"user_code": flow["user_code"], "login_hint": DANIEL},
        timeout=10,
    )
    assert approval.status_code == 200, approval.text

    result = client.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    assert result["token_type"] == "Bearer"
    claims = result["id_token_claims"]
    daniel = demo_user(demo_org, DANIEL)
    assert claims["preferred_username"] == DANIEL
    assert claims["tid"] == demo_org["tenant_id"]
    assert claims["oid"] == daniel["id"]
    [account] = client.get_accounts()
    assert account["home_account_id"] == f"{claims['oid']}.{claims['tid']}"
    assert account["username"] == DANIEL


def test_auth_code_flow_with_pkce(sandbox, demo_org):
    client = app(sandbox)
    flow = client.initiate_auth_code_flow(
        SCOPES, redirect_uri="http://localhost:53102/callback", login_hint=DANIEL
    )
    assert "code_challenge_method=S256" in flow["auth_uri"]
    answer = sandbox.session().get(flow["auth_uri"], allow_redirects=False, timeout=10)
    assert answer.headers["Location"].startswith("http://localhost:53102/callback?")
    query = redirect_query(answer)
    assert query["state"] == flow["state"]

    result = client.acquire_token_by_auth_code_flow(flow, query)
    assert "access_token" in result, result
    assert "refresh_token" in result
    assert {"User.Read", "Calendars.ReadWrite.Shared"} <= set(result["scope"].split())
    claims = result["id_token_claims"]
    assert claims["preferred_username"] == DANIEL
    assert claims["oid"] == demo_user(demo_org, DANIEL)["id"]
    # MSAL checked the nonce it sent came back; the claim is there to check.
    assert claims["nonce"]
    [account] = client.get_accounts(username=DANIEL)
    assert account["home_account_id"] == f"{claims['oid']}.{claims['tid']}"


def test_silent_refresh_gives_a_new_access_token(sandbox):
    client = app(sandbox)
    first = sign_in_with_auth_code(sandbox, client)
    [account] = client.get_accounts()

    cached = client.acquire_token_silent(SCOPES, account=account)
    assert cached["access_token"] == first["access_token"]
    assert cached["token_source"] == "cache"

    refreshed = client.acquire_token_silent(SCOPES, account=account, force_refresh=True)
    assert refreshed is not None and "access_token" in refreshed, refreshed
    assert refreshed["token_source"] == "identity_provider"
    assert refreshed["access_token"] != first["access_token"]


def test_id_token_verifies_against_the_published_keys(sandbox):
    result = sign_in_with_auth_code(sandbox, app(sandbox))
    id_token = result["id_token"]
    metadata = (
        sandbox.session()
        .get(f"{sandbox.authority}/v2.0/.well-known/openid-configuration", timeout=10)
        .json()
    )
    assert metadata["issuer"] == f"{sandbox.authority}/v2.0"

    keys = jwt.PyJWKClient(
        metadata["jwks_uri"], ssl_context=ssl.create_default_context(cafile=sandbox.ca_file)
    )
    key = keys.get_signing_key_from_jwt(id_token)
    assert jwt.get_unverified_header(id_token)["kid"] == key.key_id
    claims = jwt.decode(
        id_token,
        key.key,
        algorithms=["RS256"],
        audience=sandbox.client_id,
        issuer=metadata["issuer"],
    )
    assert claims["preferred_username"] == DANIEL
    assert claims["oid"] == result["id_token_claims"]["oid"]

    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(id_token, key.key, algorithms=["RS256"], audience="someone-else")


def test_an_error_comes_back_as_msals_error_dict_with_the_correlation_id(sandbox):
    # MSAL's requests go through this Session (its documented `http_client`), which notes the
    # client-request-id MSAL sent with each.
    sent = []
    session = sandbox.session()
    session.hooks["response"].append(
        lambda response, *args, **kwargs: sent.append(response.request.headers)
    )
    client = app(sandbox, http_client=session)
    sent.clear()  # discovery, made while the application was built

    result = client.acquire_token_by_refresh_token("not-a-refresh-token", SCOPES)
    assert result["error"] == "invalid_grant", result
    assert isinstance(result["error_codes"], list) and result["error_codes"], result
    assert all(isinstance(code, int) for code in result["error_codes"])
    assert result["error_description"].startswith("AADSTS")
    [request] = sent
    assert result["correlation_id"] == request["client-request-id"]


def test_the_device_flows_correlation_id_is_echoed_on_its_error(sandbox):
    client = app(sandbox)
    flow = client.initiate_device_flow(scopes=SCOPES)
    declined = sandbox.session().post(
        flow["verification_uri"],
        data={"user_code": flow["user_code"], "decline": "1"},
        timeout=10,
    )
    assert declined.status_code == 200
    result = client.acquire_token_by_device_flow(flow)
    assert result["error"] == "authorization_declined", result
    # MSAL keeps the correlation id of a device flow in the flow it hands out.
    assert result["correlation_id"] == flow[client.DEVICE_FLOW_CORRELATION_ID]


def test_requests_alone_trusts_the_sandbox_through_requests_ca_bundle(sandbox):
    # What MSAL's default http client relies on in the tests above.
    response = requests.get(
        f"{sandbox.authority}/v2.0/.well-known/openid-configuration", timeout=10
    )
    assert response.status_code == 200
