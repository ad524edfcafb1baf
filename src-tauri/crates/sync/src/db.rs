//! Store calls off the async workers: SQLite may wait out its busy timeout, and a worker that
//! waits starves every other task on it.

use std::sync::Arc;

use onbehalf_store::{Store, StoreError};

use crate::error::SyncError;

/// Run `f` with the store on the blocking pool.
pub(crate) async fn db<T: Send + 'static>(
    store: &Arc<Store>,
    step: &'static str,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, SyncError> {
    let store = Arc::clone(store);
    match tokio::task::spawn_blocking(move || f(&store)).await {
        Ok(result) => result.map_err(SyncError::from),
        Err(_) => Err(SyncError::Stopped(step)),
    }
}
