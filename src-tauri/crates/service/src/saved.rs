//! Saved sign-ins: each account's refresh token, sealed in the token vault, written by one
//! thread of its own.
//!
//! Refresh tokens rotate on every use, and the new one arrives inside a token refresh, on an
//! async worker, where no keyring or disk call may run. It is handed to the writer thread
//! instead, which also performs sign-ins and sign-outs: one queue puts every write in the order
//! it was asked for, so a rotated token that arrives after a sign-out never brings the saved
//! sign-in back, and an older token never overwrites a newer one.

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::Arc;

use onbehalf_graph::{OnNewTokens, SavedSignIn, TokenSet};
use onbehalf_secrets::{Opened, Sensitive, TokenVault, VaultError};
use tokio::sync::oneshot;

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};

/// What could not be removed at sign-out.
#[derive(Debug, Default)]
pub(crate) struct Leftovers {
    pub file: Option<VaultError>,
    pub key: Option<VaultError>,
}

enum Job {
    /// A new sign-in (or one moved from an older build), or a rotated sign-in whose caller
    /// waits until it is kept: written even after a sign-out.
    SignIn {
        account_id: String,
        json: Sensitive<String>,
        done: oneshot::Sender<Result<(), VaultError>>,
    },
    /// A rotated refresh token: dropped once the account signed out.
    Refreshed {
        account_id: String,
        json: Sensitive<String>,
    },
    SignOut {
        account_id: String,
        done: oneshot::Sender<Leftovers>,
    },
    /// Answered once every job asked for before it is done.
    Flush { done: oneshot::Sender<()> },
}

/// The saved sign-ins of one data folder. Clones share the one writer.
#[derive(Clone)]
pub(crate) struct SavedSignIns {
    vault: Arc<TokenVault>,
    jobs: mpsc::Sender<Job>,
}

impl SavedSignIns {
    /// Start the writer thread. It ends when this value is dropped, after the jobs already
    /// queued.
    pub fn start(vault: TokenVault) -> Result<SavedSignIns, ServiceError> {
        let vault = Arc::new(vault);
        let (jobs, queue) = mpsc::channel();
        let writer = Arc::clone(&vault);
        std::thread::Builder::new()
            .name("onbehalf-sign-in-writer".into())
            .spawn(move || run(&writer, &queue))
            .map_err(|e| {
                ServiceError::new(
                    ErrorCode::Other,
                    format!("Could not start keeping sign-ins: {e}"),
                )
            })?;
        Ok(SavedSignIns { vault, jobs })
    }

    /// Keep a new sign-in of `account_id`, replacing what was kept.
    pub async fn sign_in(&self, account_id: &str, saved: SavedSignIn) -> Result<(), ServiceError> {
        self.keep(account_id, saved.to_json()).await
    }

    /// Keep the sealed form of a sign-in under `slot` and wait until it is on disk. For
    /// sign-ins whose refresh tokens are single use, the new one must be kept before it is used.
    pub async fn keep(&self, slot: &str, json: Sensitive<String>) -> Result<(), ServiceError> {
        let (done, answer) = oneshot::channel();
        self.send(Job::SignIn {
            account_id: slot.to_string(),
            json,
            done,
        })?;
        Ok(answer.await.map_err(|_| stopped())??)
    }

    /// The sealed form kept under `slot`, as written by [`SavedSignIns::keep`].
    pub async fn kept(&self, slot: &str) -> Result<Sensitive<String>, ServiceError> {
        let vault = Arc::clone(&self.vault);
        let id = slot.to_string();
        let opened = blocking("reading your saved sign-in", move || {
            vault.get(&id).map_err(ServiceError::from)
        })
        .await?;
        match opened {
            Opened::Secret(json) | Opened::Legacy(json) => Ok(json),
        }
    }

    /// Remove `account_id`'s file and key, reporting what could not be removed.
    pub async fn sign_out(&self, account_id: &str) -> Result<Leftovers, ServiceError> {
        let (done, answer) = oneshot::channel();
        self.send(Job::SignOut {
            account_id: account_id.to_string(),
            done,
        })?;
        answer.await.map_err(|_| stopped())
    }

    /// Wait until every write asked for so far is on disk: before the process exits.
    pub async fn flush(&self) {
        let (done, answer) = oneshot::channel();
        if self.send(Job::Flush { done }).is_ok() {
            let _ = answer.await;
        }
    }

    /// What is kept for `account_id`. An older build's keyring entry is moved into the vault
    /// on the way, so it is read in the old format once only.
    pub async fn load(&self, account_id: &str) -> Result<SavedSignIn, ServiceError> {
        let vault = Arc::clone(&self.vault);
        let id = account_id.to_string();
        let opened = blocking("reading your saved sign-in", move || {
            vault.get(&id).map_err(ServiceError::from)
        })
        .await?;
        match opened {
            Opened::Secret(json) => SavedSignIn::from_json(&json).map_err(unreadable),
            Opened::Legacy(json) => {
                let saved = SavedSignIn::from_legacy_keyring_json(&json).map_err(unreadable)?;
                self.sign_in(account_id, saved.clone()).await?;
                tracing::info!("moved a saved sign-in of an older version into the vault");
                Ok(saved)
            }
        }
    }

    /// The callback a token provider calls with each refreshed token set: it queues the write
    /// and returns at once.
    pub fn on_new_tokens(&self, account_id: &str) -> OnNewTokens {
        let jobs = self.jobs.clone();
        let account_id = account_id.to_string();
        Box::new(move |tokens: &TokenSet| {
            let saved = match tokens.saved() {
                Ok(saved) => saved,
                Err(e) => {
                    tracing::warn!(error = %e, "a refreshed sign-in could not be kept");
                    return;
                }
            };
            let job = Job::Refreshed {
                account_id: account_id.clone(),
                json: saved.to_json(),
            };
            if jobs.send(job).is_err() {
                tracing::warn!("a refreshed sign-in arrived after Onbehalf stopped keeping them");
            }
        })
    }

    fn send(&self, job: Job) -> Result<(), ServiceError> {
        self.jobs.send(job).map_err(|_| stopped())
    }
}

fn run(vault: &TokenVault, queue: &mpsc::Receiver<Job>) {
    // Accounts signed out since this process started: their late refreshes are not kept.
    let mut signed_out = HashSet::new();
    while let Ok(job) = queue.recv() {
        match job {
            Job::SignIn {
                account_id,
                json,
                done,
            } => {
                signed_out.remove(&account_id);
                let _ = done.send(vault.put(&account_id, &json));
            }
            Job::Refreshed { account_id, json } => {
                if signed_out.contains(&account_id) {
                    tracing::debug!("dropped a refreshed sign-in of a signed-out account");
                    continue;
                }
                if let Err(e) = vault.put(&account_id, &json) {
                    tracing::warn!(error = %e, "could not keep the refreshed sign-in");
                }
            }
            Job::SignOut { account_id, done } => {
                let leftovers = Leftovers {
                    file: vault.remove_file(&account_id).err(),
                    key: vault.remove_key(&account_id).err(),
                };
                signed_out.insert(account_id);
                let _ = done.send(leftovers);
            }
            Job::Flush { done } => {
                let _ = done.send(());
            }
        }
    }
}

fn stopped() -> ServiceError {
    ServiceError::new(
        ErrorCode::Other,
        "Onbehalf stopped keeping sign-ins; restart it and try again.",
    )
}

fn unreadable(e: onbehalf_graph::AuthError) -> ServiceError {
    ServiceError::sign_in_required(format!(
        "Your saved sign-in could not be read ({e}). Sign in again."
    ))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use onbehalf_graph::AccountClaims;
    use onbehalf_secrets::{SecretStore, SecretsError, Sensitive};

    use super::*;

    const ACCOUNT: &str = "tenant.daniel";

    /// A vault over the system keyring under a service name of its own, or `None` (with the
    /// reason printed) where no keyring can be reached and none is required.
    fn vault(dir: &std::path::Path) -> Option<TokenVault> {
        let keyring = SecretStore::new("onbehalf-service-test");
        let probe = format!("probe-{}", std::process::id());
        match keyring.set(&probe, &Sensitive::from("probe")) {
            Ok(()) => {
                let _ = keyring.delete(&probe);
            }
            Err(e @ SecretsError::Unavailable { .. }) => {
                if std::env::var("ONBEHALF_REQUIRE_KEYRING").is_ok() {
                    panic!("ONBEHALF_REQUIRE_KEYRING is set but the keyring is unavailable: {e}");
                }
                eprintln!("SKIPPED: no system keyring is reachable here ({e})");
                return None;
            }
            Err(e) => panic!("the keyring refused the probe: {e}"),
        }
        let profile = format!("saved-test-{}", uuid_like());
        Some(TokenVault::new(keyring, dir.join("tokens"), &profile))
    }

    fn uuid_like() -> String {
        format!(
            "{}-{}",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or_default()
        )
    }

    fn tokens(refresh: &str) -> TokenSet {
        TokenSet {
            access_token: Sensitive::from("access"),
            refresh_token: Some(Sensitive::new(refresh.to_string())),
            expires_at: Utc::now(),
            account: AccountClaims {
                tenant_id: "tenant".into(),
                object_id: "daniel".into(),
                username: "daniel.reyes@contoso.com".into(),
                name: "Daniel Reyes".into(),
            },
        }
    }

    #[tokio::test]
    async fn rotated_tokens_are_kept_in_order_and_not_after_a_sign_out() {
        let dir = tempfile::tempdir().unwrap();
        let Some(vault) = vault(dir.path()) else {
            return;
        };
        let saved = SavedSignIns::start(vault.clone()).unwrap();
        saved
            .sign_in(ACCOUNT, tokens("rt-1").saved().unwrap())
            .await
            .unwrap();

        let on_new = saved.on_new_tokens(ACCOUNT);
        for n in 2..=5 {
            on_new(&tokens(&format!("rt-{n}")));
        }
        saved.flush().await;
        let now = saved.load(ACCOUNT).await.unwrap();
        assert_eq!(now.refresh_token.expose(), "rt-5");

        let leftovers = saved.sign_out(ACCOUNT).await.unwrap();
        assert!(
            leftovers.file.is_none() && leftovers.key.is_none(),
            "{leftovers:?}"
        );
        on_new(&tokens("rt-6"));
        saved.flush().await;
        let err = saved.load(ACCOUNT).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::SignInRequired, "{err:?}");
        assert!(!vault.file_path(ACCOUNT).exists());
    }
}
