//! Why a sync cycle stopped.

use onbehalf_engine::crm::CrmError;
use onbehalf_engine::ports::SourceError;
use onbehalf_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SyncError {
    /// Only signing in to Microsoft 365 again helps.
    #[error("your Microsoft 365 sign-in has expired; sign in again")]
    SignInExpired,
    /// Only signing in to the CRM again helps.
    #[error("your CRM sign-in has expired; sign in to the CRM again")]
    CrmSignInExpired,
    /// Reading Exchange failed; the cycle is tried again later.
    #[error("could not read Microsoft 365: {0}")]
    Exchange(SourceError),
    /// Reading the CRM failed; the cycle is tried again later.
    #[error("could not read the CRM: {0}")]
    Crm(CrmError),
    #[error("{0}")]
    Store(StoreError),
    /// The background task running a store call was lost.
    #[error("the sync stopped while {0}")]
    Stopped(&'static str),
}

impl SyncError {
    /// Whether trying the cycle again later may help.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Exchange(e) => e.is_retryable(),
            SyncError::Crm(e) => e.is_retryable(),
            SyncError::SignInExpired
            | SyncError::CrmSignInExpired
            | SyncError::Store(_)
            | SyncError::Stopped(_) => false,
        }
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

impl From<SourceError> for SyncError {
    fn from(e: SourceError) -> Self {
        match e {
            SourceError::SignInExpired => SyncError::SignInExpired,
            other => SyncError::Exchange(other),
        }
    }
}

impl From<CrmError> for SyncError {
    fn from(e: CrmError) -> Self {
        match e {
            CrmError::SignInExpired => SyncError::CrmSignInExpired,
            other => SyncError::Crm(other),
        }
    }
}
