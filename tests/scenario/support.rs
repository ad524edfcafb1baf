//! A sandbox world with one data folder per person, and the `onbehalf` binary to drive.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use onbehalf_sandbox::{Sandbox, SandboxOptions};
use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_onbehalf");

/// A running sandbox and a configuration file pointing at it.
pub struct World {
    pub sandbox: Sandbox,
    pub config: PathBuf,
    _dir: TempDir,
}

impl World {
    pub async fn start() -> World {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(SandboxOptions {
            state_file: Some(dir.path().join("sandbox.json")),
            ..SandboxOptions::default()
        })
        .await
        .unwrap();
        let config = dir.path().join("onbehalf.toml");
        std::fs::write(
            &config,
            format!(
                "[microsoft]\nauthority = \"{}\"\ngraph_url = \"{}\"\nclient_id = \"{}\"\n\
                 [salesforce]\nlogin_url = \"{}\"\nclient_id = \"{}\"\nredirect_port = 0\n",
                sandbox.authority(),
                sandbox.graph_url(),
                sandbox.client_id(),
                sandbox.salesforce_login_url(),
                sandbox.salesforce_client_id()
            ),
        )
        .unwrap();
        World {
            sandbox,
            config,
            _dir: dir,
        }
    }

    /// A computer whose configuration adds `extra` (TOML, e.g. an administrator's policy).
    pub fn machine_with(&self, extra: &str) -> Machine {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("onbehalf.toml");
        let mut text = std::fs::read_to_string(&self.config).unwrap();
        text.push_str(extra);
        std::fs::write(&config, text).unwrap();
        Machine {
            base: vec!["--config".into(), config.display().to_string()],
            dir,
            policy: None,
        }
    }

    /// A computer of this world under an administrator's machine policy (TOML, as
    /// `/etc/onbehalf/policy.toml` holds it).
    pub fn machine_under_policy(&self, policy: &str) -> Machine {
        let mut m = self.machine();
        let path = m.dir.path().join("machine-policy.toml");
        std::fs::write(&path, policy).unwrap();
        m.policy = Some(path);
        m
    }

    /// A person's computer: their own data folder, configured for this world.
    pub fn machine(&self) -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
            base: vec!["--config".into(), self.config.display().to_string()],
            policy: None,
        }
    }
}

/// One data folder, as on one person's computer.
pub struct Machine {
    pub dir: TempDir,
    base: Vec<String>,
    /// The machine policy file this computer's administrator wrote, if any.
    policy: Option<std::path::PathBuf>,
}

impl Machine {
    /// This computer under the machine policy in `path`.
    pub fn under_policy(self, path: std::path::PathBuf) -> Machine {
        Machine {
            policy: Some(path),
            ..self
        }
    }

    /// A machine that starts the sandbox in-process (`--sandbox`).
    pub fn with_embedded_sandbox() -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
            base: vec!["--sandbox".into()],
            policy: None,
        }
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(&self.base)
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("ONBEHALF_CONFIG")
            .env_remove("ONBEHALF_DATA_DIR")
            .kill_on_drop(true);
        self.with_policy(&mut cmd);
        tokio::time::timeout(Duration::from_secs(90), cmd.output())
            .await
            .expect("onbehalf did not finish within 90 s")
            .unwrap()
    }

    /// The machine policy this computer has: its file, or none at all.
    fn with_policy(&self, cmd: &mut tokio::process::Command) {
        match &self.policy {
            Some(path) => cmd.env("ONBEHALF_POLICY_FILE", path),
            None => cmd.env_remove("ONBEHALF_POLICY_FILE"),
        };
    }

    /// Start `onbehalf` with these arguments and leave it running (killed when dropped).
    pub fn spawn(&self, args: &[&str]) -> tokio::process::Child {
        let mut cmd = tokio::process::Command::new(BIN);
        self.with_policy(&mut cmd);
        cmd.args(&self.base)
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("ONBEHALF_CONFIG")
            .env_remove("ONBEHALF_DATA_DIR")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    }

    /// Run and require success; returns stdout.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        assert!(
            out.status.success(),
            "onbehalf {args:?} failed ({:?}):\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `calendars --json` as this user.
    pub async fn calendars_as(&self, user: &str) -> Vec<Value> {
        let out = self.ok(&["--as", user, "calendars", "--json"]).await;
        serde_json::from_str::<Vec<Value>>(&out)
            .unwrap_or_else(|e| panic!("calendars --json is not a JSON array ({e}):\n{out}"))
    }
}

/// The entry for `owner`'s calendar of the given kind.
pub fn find<'a>(calendars: &'a [Value], owner: &str, kind: &str) -> Option<&'a Value> {
    calendars
        .iter()
        .find(|c| c["owner"] == owner && c["kind"] == kind)
}

/// Sign `user` in through the authorization-code flow (with `login_hint`, as `--as` does) and
/// return a bearer token, for acting as that person directly on Graph.
pub async fn token_for(world: &World, user: &str) -> String {
    let endpoints = onbehalf_graph::Endpoints {
        authority: world.sandbox.authority().parse().unwrap(),
        graph_url: world.sandbox.graph_url().parse().unwrap(),
        client_id: world.sandbox.client_id().to_string(),
        trust: onbehalf_graph::Trust::default(),
    };
    let (flow, url) = onbehalf_graph::LoopbackSignIn::start(&endpoints, Some(user))
        .await
        .unwrap();
    let browser = reqwest::Client::new();
    let (_, tokens) = tokio::join!(
        browser.get(url.as_str()).send(),
        flow.finish(Duration::from_secs(30))
    );
    tokens.unwrap().access_token.expose().clone()
}

/// A Graph call as the holder of `token`.
pub async fn graph(
    world: &World,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", world.sandbox.graph_url());
    let mut req = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Percent-encode an opaque id for a URL path segment.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sign `user` in to the sandbox's Salesforce (with `login_hint`, as `--as` does) and return
/// the instance URL and a bearer token, for looking at the CRM as that person.
pub async fn crm_token_for(world: &World, user: &str) -> Crm {
    let mut config = onbehalf_salesforce::SalesforceConfig::new(
        world.sandbox.salesforce_login_url().parse().unwrap(),
        world.sandbox.salesforce_client_id().to_string(),
    );
    config.redirect_port = 0;
    let (flow, url) = onbehalf_salesforce::WebSignIn::start(&config, Some(user))
        .await
        .unwrap();
    let browser = reqwest::Client::new();
    let (_, tokens) = tokio::join!(
        browser.get(url.as_str()).send(),
        flow.finish(Duration::from_secs(30))
    );
    let tokens = tokens.unwrap();
    Crm {
        instance: tokens
            .instance_url
            .as_str()
            .trim_end_matches('/')
            .to_string(),
        token: tokens.access_token.expose().clone(),
    }
}

/// One person's view of the CRM over its REST API.
pub struct Crm {
    instance: String,
    token: String,
}

impl Crm {
    const API: &'static str = "/services/data/v62.0";

    /// The records a SOQL query finds.
    pub async fn query(&self, soql: &str) -> Vec<Value> {
        let resp = reqwest::Client::new()
            .get(format!("{}{}/query", self.instance, Self::API))
            .query(&[("q", soql)])
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(status.is_success(), "{soql}: {status} {body}");
        body["records"].as_array().cloned().unwrap_or_default()
    }

    /// The events made for this Exchange item.
    pub async fn events_for(&self, item_id: &str) -> Vec<Value> {
        self.query(&format!(
            "SELECT Id, OwnerId, Subject, StartDateTime, EndDateTime, WhoId, WhatId, IsPrivate \
             FROM Event WHERE Onbehalf_Exchange_Id__c = '{item_id}'"
        ))
        .await
    }

    /// Change an event as someone working in the CRM would.
    pub async fn update_event(&self, id: &str, fields: Value) {
        let resp = reqwest::Client::new()
            .patch(format!(
                "{}{}/sobjects/Event/{id}",
                self.instance,
                Self::API
            ))
            .bearer_auth(&self.token)
            .json(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 204, "{:?}", resp.text().await);
    }

    /// Add an event as someone working in the CRM would; returns its id.
    pub async fn create_event(&self, fields: Value) -> String {
        let resp = reqwest::Client::new()
            .post(format!("{}{}/sobjects/Event/", self.instance, Self::API))
            .bearer_auth(&self.token)
            .json(&fields)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }

    pub async fn delete_event(&self, id: &str) {
        let resp = reqwest::Client::new()
            .delete(format!(
                "{}{}/sobjects/Event/{id}",
                self.instance,
                Self::API
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 204, "{:?}", resp.text().await);
    }
}
