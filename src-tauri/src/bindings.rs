//! The TypeScript bindings in `ui/src/bindings/` must equal what ts-rs generates from the Rust
//! types that cross IPC. `UPDATE_BINDINGS=1 cargo test -p onbehalf-app bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use onbehalf_service::policy::PolicyReport;
use onbehalf_service::{
    AccountView, CalendarEntry, ComposedMessage, ConflictsView, CrmAccountView, CrmRecord,
    DoctorReport, DraftOutcome, DraftRequest, ItemView, MessageRequest, OfferView, ProblemEntry,
    Refreshed, Resolved, ServiceError, ShareOutcome, SignOutReport, SlotCalendars, SlotPrefs,
    SlotRequest, SlotsFound, SyncRun, SyncSettings, SyncStatus,
};
use ts_rs::TS;

use crate::ipc::{AppEvent, AppState, CopiedMessage, CrmState, SyncSettingsState};

fn checked_in_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

/// Every type a command returns or an event carries, with everything they refer to.
fn export_all(dir: &Path) -> Result<(), ts_rs::ExportError> {
    AppState::export_all_to(dir)?;
    AppEvent::export_all_to(dir)?;
    AccountView::export_all_to(dir)?;
    CalendarEntry::export_all_to(dir)?;
    Refreshed::export_all_to(dir)?;
    DoctorReport::export_all_to(dir)?;
    ServiceError::export_all_to(dir)?;
    SignOutReport::export_all_to(dir)?;
    CrmState::export_all_to(dir)?;
    CrmAccountView::export_all_to(dir)?;
    CrmRecord::export_all_to(dir)?;
    ItemView::export_all_to(dir)?;
    ShareOutcome::export_all_to(dir)?;
    ConflictsView::export_all_to(dir)?;
    Resolved::export_all_to(dir)?;
    SyncStatus::export_all_to(dir)?;
    SyncRun::export_all_to(dir)?;
    SyncSettings::export_all_to(dir)?;
    SyncSettingsState::export_all_to(dir)?;
    ProblemEntry::export_all_to(dir)?;
    SlotCalendars::export_all_to(dir)?;
    SlotPrefs::export_all_to(dir)?;
    SlotRequest::export_all_to(dir)?;
    SlotsFound::export_all_to(dir)?;
    MessageRequest::export_all_to(dir)?;
    ComposedMessage::export_all_to(dir)?;
    DraftRequest::export_all_to(dir)?;
    DraftOutcome::export_all_to(dir)?;
    CopiedMessage::export_all_to(dir)?;
    OfferView::export_all_to(dir)?;
    PolicyReport::export_all_to(dir)?;
    Ok(())
}

fn read_tree(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "ts") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.insert(name, std::fs::read_to_string(&path)?);
        }
    }
    Ok(files)
}

#[test]
fn checked_in_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().expect("temp dir");
    export_all(fresh.path()).expect("export bindings");
    let generated = read_tree(fresh.path()).expect("read generated bindings");
    assert!(generated.contains_key("AppState.ts"), "{generated:?}");

    let target = checked_in_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        if target.exists() {
            std::fs::remove_dir_all(&target).expect("remove old bindings");
        }
        std::fs::create_dir_all(&target).expect("create bindings dir");
        for (name, text) in &generated {
            std::fs::write(target.join(name), text).expect("write binding");
        }
    }
    let checked_in = read_tree(&target).expect("read checked-in bindings");
    let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&checked_in),
        names(&generated),
        "ui/src/bindings has other files than the Rust types generate; run \
         UPDATE_BINDINGS=1 cargo test -p onbehalf-app bindings"
    );
    for (name, text) in &generated {
        assert_eq!(
            checked_in.get(name),
            Some(text),
            "ui/src/bindings/{name} differs from the Rust type; run \
             UPDATE_BINDINGS=1 cargo test -p onbehalf-app bindings"
        );
    }
}
