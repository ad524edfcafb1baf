//! Salesforce's refusals in the terms the sync words for a person.

use onbehalf_engine::crm::CrmError;

use crate::auth::AuthError;
use crate::client::{codes, ApiError, LimitKind, SalesforceError};

/// The engine's error for a failed call or item.
pub fn crm_error(e: &SalesforceError) -> CrmError {
    match e {
        SalesforceError::Auth { source, .. } => auth_error(source),
        SalesforceError::LimitExceeded {
            kind: LimitKind::Daily,
            message,
            ..
        } => CrmError::BudgetSpent {
            message: message.clone(),
        },
        SalesforceError::LimitExceeded {
            kind: LimitKind::Concurrent,
            message,
            retry_after,
            ..
        } => CrmError::Throttled {
            retry_after: *retry_after,
            message: message.clone(),
        },
        SalesforceError::ReserveKept {
            reserve_percent, ..
        } => CrmError::ReserveKept {
            reserve_percent: *reserve_percent,
        },
        SalesforceError::Network { .. } => CrmError::Transient {
            message: e.to_string(),
        },
        SalesforceError::Api { status, errors, .. } => api_error(*status, errors, e),
        SalesforceError::Decode { .. } => CrmError::Other {
            code: "UNREADABLE_ANSWER".to_string(),
            message: e.to_string(),
        },
        SalesforceError::Invalid { .. } => CrmError::Other {
            code: "INVALID_REQUEST".to_string(),
            message: e.to_string(),
        },
        SalesforceError::VersionUnavailable { .. } => CrmError::Other {
            code: "API_VERSION_UNAVAILABLE".to_string(),
            message: e.to_string(),
        },
    }
}

fn auth_error(source: &AuthError) -> CrmError {
    if source.needs_sign_in() {
        return CrmError::SignInExpired;
    }
    match source {
        AuthError::Network { .. } => CrmError::Transient {
            message: source.to_string(),
        },
        AuthError::AppNotApproved { .. } => CrmError::Other {
            code: "APP_NOT_APPROVED".to_string(),
            message: source.to_string(),
        },
        AuthError::NotSaved { .. } => CrmError::Other {
            code: "SIGN_IN_NOT_SAVED".to_string(),
            message: source.to_string(),
        },
        other => CrmError::Other {
            code: "SIGN_IN_FAILED".to_string(),
            message: other.to_string(),
        },
    }
}

fn api_error(status: u16, errors: &[ApiError], whole: &SalesforceError) -> CrmError {
    let first = errors.first();
    let code = first.map(|e| e.code.as_str()).unwrap_or_default();
    let message = first
        .map(|e| e.message.clone())
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| whole.to_string());
    let fields = first.map(|e| e.fields.clone()).unwrap_or_default();
    match code {
        codes::INVALID_SESSION_ID | codes::BAD_OAUTH_TOKEN => CrmError::SignInExpired,
        codes::UNABLE_TO_LOCK_ROW => CrmError::Transient { message },
        codes::INSUFFICIENT_ACCESS_OR_READONLY => CrmError::NoEditAccess { message },
        codes::INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY
        | codes::INVALID_CROSS_REFERENCE_KEY => CrmError::NoAccessToRelated { message },
        codes::ENTITY_IS_DELETED => CrmError::Deleted,
        codes::NOT_FOUND | codes::INVALID_ID_FIELD | codes::MALFORMED_ID => CrmError::NotFound,
        codes::FIELD_CUSTOM_VALIDATION_EXCEPTION => CrmError::Rejected { message, fields },
        codes::FIELD_INTEGRITY_EXCEPTION
        | codes::STRING_TOO_LONG
        | codes::REQUIRED_FIELD_MISSING => CrmError::Invalid { message, fields },
        _ if status == 401 => CrmError::SignInExpired,
        _ if status == 404 => CrmError::NotFound,
        _ if status == 429 || status >= 500 => CrmError::Transient { message },
        // MALFORMED_QUERY, INVALID_FIELD (Onbehalf's package missing), API_DISABLED_FOR_ORG, …:
        // nothing the person can change in the item; the code tells support what happened.
        other => CrmError::Other {
            code: other.to_string(),
            message,
        },
    }
}
