//! Runs keyring and SQLite calls on tokio's blocking pool.
//!
//! Both can wait for a long time (a locked keyring prompts the user; SQLite waits out its busy
//! timeout), and a runtime worker that waits starves every other task on it, including the
//! loopback listener of a pending sign-in and the app's IPC.

use crate::error::{ErrorCode, ServiceError};

/// Run `f` on the blocking pool. `step` names what it does, for the error a person sees if the
/// blocking task itself is lost (it panicked or the runtime is shutting down).
pub(crate) async fn blocking<T: Send + 'static>(
    step: &'static str,
    f: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) => Err(ServiceError::new(
            ErrorCode::Other,
            format!("Onbehalf stopped while {step}: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_closure_result() {
        let got = blocking("adding numbers", || Ok(2 + 2)).await;
        assert_eq!(got, Ok(4));
    }

    #[tokio::test]
    async fn passes_the_closure_error_through() {
        let got: Result<(), _> = blocking("reading the store", || {
            Err(ServiceError::new(ErrorCode::Store, "disk full"))
        })
        .await;
        assert_eq!(got, Err(ServiceError::new(ErrorCode::Store, "disk full")));
    }

    #[tokio::test]
    async fn a_panic_becomes_an_error_naming_the_step() {
        let got: Result<(), _> = blocking("reading the keyring", || panic!("boom")).await;
        let err = got.expect_err("a panic in the closure is an error");
        assert_eq!(err.code, ErrorCode::Other);
        assert!(
            err.message.contains("reading the keyring"),
            "{}",
            err.message
        );
    }
}
