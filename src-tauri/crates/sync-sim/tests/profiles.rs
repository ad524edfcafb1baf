//! The CRM-side profiles of a CRM user, as the simulated CRM keeps them: whatever an
//! administrator assigned, read through each app's CRM port, sorted and each once.

use onbehalf_engine::sync::merge::Winner;
use onbehalf_sync_sim::{AppId, Config, Scenario};

#[test]
fn assigned_permission_sets_are_read_by_any_app_sorted_and_once() {
    let mut s = Scenario::new(Config {
        winner: Winner::Exchange,
        private_sync: false,
        direct_share: false,
        crm_to_exchange: false,
        crm_keeps_item_ids: true,
    });
    assert_eq!(
        s.profile_names(AppId::Owner, AppId::DelegateA),
        Ok(Vec::<String>::new()),
        "nothing assigned yet"
    );
    s.assign_permission_sets(
        AppId::DelegateA,
        &[
            "Onbehalf_Calendar_Only",
            "Onbehalf_Assistant",
            "Onbehalf_Assistant",
        ],
    );
    for app in AppId::ALL {
        assert_eq!(
            s.profile_names(app, AppId::DelegateA).unwrap(),
            ["Onbehalf_Assistant", "Onbehalf_Calendar_Only"],
            "{app:?}"
        );
    }
    assert_eq!(
        s.profile_names(AppId::DelegateA, AppId::DelegateB),
        Ok(vec![])
    );
}
