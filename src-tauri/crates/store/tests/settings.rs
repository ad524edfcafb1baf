//! Settings and the per-folder profile id.

use onbehalf_store::Store;

#[test]
fn a_setting_is_saved_replaced_and_read() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.settings().get("last_calendar").unwrap(), None);
    store.settings().set("last_calendar", "boss").unwrap();
    store.settings().set("last_calendar", "boss").unwrap();
    assert_eq!(
        store.settings().get("last_calendar").unwrap().as_deref(),
        Some("boss")
    );
    store.settings().set("last_calendar", "mine").unwrap();
    assert_eq!(
        store.settings().get("last_calendar").unwrap().as_deref(),
        Some("mine")
    );
}

#[test]
fn the_profile_id_is_made_once_per_folder_and_differs_between_folders() {
    let dir = tempfile::tempdir().unwrap();
    let first_path = dir.path().join("one").join("onbehalf.sqlite3");
    let second_path = dir.path().join("two").join("onbehalf.sqlite3");

    let first = Store::open(&first_path)
        .unwrap()
        .settings()
        .profile_id()
        .unwrap();
    assert_eq!(first.len(), 32);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
    let again = Store::open(&first_path)
        .unwrap()
        .settings()
        .profile_id()
        .unwrap();
    assert_eq!(first, again);

    let second = Store::open(&second_path)
        .unwrap()
        .settings()
        .profile_id()
        .unwrap();
    assert_ne!(first, second);
}
