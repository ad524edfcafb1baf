//! Why waiting for the browser failed.

use std::fmt;

/// The listener itself failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoopbackError {
    /// The port could not be opened on 127.0.0.1 (for a fixed port: another program holds it).
    /// Retrying helps once that program let it go.
    Bind { port: u16, detail: String },
    /// A browser connection could not be accepted.
    Accept { detail: String },
    /// The redirect path is not an absolute path without query or fragment.
    InvalidPath { path: String },
}

impl fmt::Display for LoopbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoopbackError::Bind { port: 0, detail } => {
                write!(f, "could not listen for the browser on 127.0.0.1: {detail}")
            }
            LoopbackError::Bind { port, detail } => write!(
                f,
                "could not listen for the browser on 127.0.0.1 port {port} (is another \
                 program using it?): {detail}"
            ),
            LoopbackError::Accept { detail } => {
                write!(f, "could not accept the browser's connection: {detail}")
            }
            LoopbackError::InvalidPath { path } => write!(
                f,
                "the redirect path \"{path}\" must start with / and have no query or fragment"
            ),
        }
    }
}

impl std::error::Error for LoopbackError {}

/// Why [`crate::RedirectListener::finish`] ended without a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinishError<E> {
    /// No redirect of this sign-in came (and was redeemed) within the timeout.
    TimedOut { seconds: u64 },
    /// The listener failed.
    Listener(LoopbackError),
    /// The redirect came; handling it failed (the browser was told so).
    Handler(E),
}

impl<E: fmt::Display> fmt::Display for FinishError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinishError::TimedOut { seconds } => {
                write!(f, "the browser did not come back within {seconds} seconds")
            }
            FinishError::Listener(e) => e.fmt(f),
            FinishError::Handler(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for FinishError<E> {}
