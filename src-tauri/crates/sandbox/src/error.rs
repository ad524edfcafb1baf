//! Why the sandbox could not start or keep its state.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum SandboxError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("could not read the sandbox state file {path}: {source}")]
    ReadState {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the sandbox state file {path} is corrupt ({reason}); delete it to start from the demo seed")]
    CorruptState { path: PathBuf, reason: String },
    #[error("could not write the sandbox state file {path}: {source}")]
    WriteState {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not prepare HTTPS: {detail}")]
    Tls { detail: String },
    #[error("could not wait for Ctrl-C: {0}")]
    Signal(#[source] std::io::Error),
}
