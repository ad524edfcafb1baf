// What the tests need from the sandbox but do not test: where it runs (from the environment
// tests/conformance/run.sh sets), a demo user's access token through the authorization code
// flow with PKCE and `login_hint` (the sandbox answers the authorize request with a redirect at
// once), its `/_sandbox` control endpoints, and a Graph client pointed at it. The CA is
// trusted through NODE_EXTRA_CA_CERTS, which Node reads at start.

import { createHash, randomBytes } from "node:crypto";
import { Client, MiddlewareFactory } from "@microsoft/microsoft-graph-client";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through tests/conformance/run.sh`);
  }
  return value;
}

export const sandbox = {
  origin: required("SANDBOX_URL"),
  authority: required("SANDBOX_AUTHORITY"),
  graphUrl: required("SANDBOX_GRAPH_URL"),
  clientId: required("SANDBOX_CLIENT_ID"),
};

export const OLIVIA = "olivia.grant@contoso.com";
export const DANIEL = "daniel.reyes@contoso.com";
export const EMMA = "emma.chen@contoso.com";

const SCOPES = "openid profile offline_access User.Read Calendars.ReadWrite Calendars.ReadWrite.Shared";

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");

/** An access token for a demo user, signed in without a browser. */
export async function accessToken(address) {
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const redirectUri = "http://localhost:53100/callback";
  const authorize = new URL(`${sandbox.authority}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: sandbox.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: SCOPES,
    code_challenge: challenge,
    code_challenge_method: "S256",
    login_hint: address,
    state: "conformance",
  })) {
    authorize.searchParams.set(k, v);
  }
  const answer = await fetch(authorize, { redirect: "manual" });
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location) {
    throw new Error(`authorize answered ${answer.status}: ${await answer.text()}`);
  }
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  const token = await fetch(`${sandbox.authority}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: sandbox.clientId,
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      scope: SCOPES,
    }),
  });
  const body = await token.json();
  if (!body.access_token) throw new Error(`token endpoint: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** `GET` or `POST` (with a JSON body) one of the sandbox's `/_sandbox/...` endpoints. */
export async function control(path, body) {
  const response = await fetch(`${sandbox.origin}/_sandbox/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`/_sandbox/${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/**
 * A Graph client with the library's default middleware (authentication, retry, redirect,
 * telemetry), sending requests to the sandbox instead of graph.microsoft.com. `customHosts`
 * is the documented way to have the token sent to a host other than Graph's.
 */
export function graphClient(token) {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${sandbox.origin}/`,
    customHosts: new Set([new URL(sandbox.origin).hostname]),
  });
}

/**
 * The same client with the library's own default middleware chain and, just before the
 * handler that sends, one that notes each answer's status and `Retry-After` in `answers`:
 * what the RetryHandler above it was given.
 */
export function recordingGraphClient(token, answers) {
  const chain = MiddlewareFactory.getDefaultMiddlewareChain({ getAccessToken: async () => token });
  const recorder = {
    setNext(next) {
      this.next = next;
    },
    async execute(context) {
      await this.next.execute(context);
      answers.push({ status: context.response.status, retryAfter: context.response.headers.get("Retry-After") });
    },
  };
  chain.splice(chain.length - 1, 0, recorder);
  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: `${sandbox.origin}/`,
    customHosts: new Set([new URL(sandbox.origin).hostname]),
  });
}

/** `startDateTime`/`endDateTime` of a window from `fromDays` to `toDays` around today. */
export function window(fromDays, toDays) {
  const day = 24 * 60 * 60 * 1000;
  const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z").getTime();
  const iso = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { startDateTime: iso(today + fromDays * day), endDateTime: iso(today + toDays * day) };
}
