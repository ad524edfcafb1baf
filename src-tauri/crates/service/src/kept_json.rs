//! Settings kept in the store's settings table as JSON: read with the defaults standing in for
//! what is missing or cannot be read (a newer or damaged value never stops the app), written
//! whole.

use onbehalf_store::Store;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ErrorCode, ServiceError};

/// The value kept under `key`, or the default; `what` names it in the log ("the sync
/// settings").
pub(crate) fn load<T: DeserializeOwned + Default>(
    store: &Store,
    key: &str,
    what: &str,
) -> Result<T, ServiceError> {
    Ok(match store.settings().get(key)? {
        Some(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "{what} could not be read; using defaults");
            T::default()
        }),
        None => T::default(),
    })
}

/// Keep `value` under `key`.
pub(crate) fn save<T: Serialize>(
    store: &Store,
    key: &str,
    what: &str,
    value: &T,
) -> Result<(), ServiceError> {
    let text = serde_json::to_string(value)
        .map_err(|e| ServiceError::new(ErrorCode::Other, format!("Could not keep {what}: {e}")))?;
    store.settings().set(key, &text)?;
    Ok(())
}
