//! Stable exit codes, documented in the README.

use std::process::ExitCode;

use onbehalf_service::{ErrorCode, ServiceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Ok,
    /// 1: an error not listed below.
    Failure,
    /// 2: wrong usage: what was given is not what is asked for (clap exits 2 for the
    /// arguments it can check itself; this is for those only the service can, like an
    /// address that is not one).
    Usage,
    /// 3: `doctor` found a failed check.
    ChecksFailed,
    /// 4: not signed in, or the sign-in expired.
    SignInRequired,
    /// 5: the system keyring cannot be used.
    KeyringUnavailable,
    /// 6: the configuration is wrong.
    Config,
    /// 7: Microsoft 365 or the network failed; trying later may help.
    Network,
    /// 8: the data folder cannot be used.
    Store,
    /// 9: not signed in to the CRM, or that sign-in expired.
    CrmSignInRequired,
    /// 10: refused: the user's rights or the policy do not allow it (e.g. a share).
    Refused,
    /// 11: the setting is locked by the administrator's policy.
    Locked,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::ChecksFailed => 3,
            Exit::SignInRequired => 4,
            Exit::KeyringUnavailable => 5,
            Exit::Config => 6,
            Exit::Network => 7,
            Exit::Store => 8,
            Exit::CrmSignInRequired => 9,
            Exit::Refused => 10,
            Exit::Locked => 11,
        })
    }
}

impl From<&ServiceError> for Exit {
    fn from(e: &ServiceError) -> Exit {
        match e.code {
            ErrorCode::SignInRequired => Exit::SignInRequired,
            ErrorCode::CrmSignInRequired => Exit::CrmSignInRequired,
            ErrorCode::KeyringUnavailable => Exit::KeyringUnavailable,
            ErrorCode::Config => Exit::Config,
            ErrorCode::Network => Exit::Network,
            ErrorCode::Store => Exit::Store,
            ErrorCode::Refused => Exit::Refused,
            ErrorCode::Locked => Exit::Locked,
            ErrorCode::InvalidInput => Exit::Usage,
            ErrorCode::Other => Exit::Failure,
        }
    }
}
