//! The directory's groups in the emulator's state, from the demo organisation's.

use chrono::{DateTime, Duration, Utc};

use crate::org::DemoOrg;
use crate::state::DirectoryGroup;

/// The directory's groups, their members by directory id; made a year before the sandbox
/// started.
pub(super) fn directory_groups(org: &DemoOrg, now: DateTime<Utc>) -> Vec<DirectoryGroup> {
    org.groups
        .iter()
        .map(|g| DirectoryGroup {
            id: g.id.clone(),
            display_name: g.display_name.clone(),
            description: g.description.clone(),
            mail: g.mail.clone(),
            mail_nickname: g
                .mail
                .as_deref()
                .and_then(|m| m.split('@').next())
                .map(str::to_string)
                .unwrap_or_else(|| g.display_name.replace(' ', "")),
            mail_enabled: g.mail_enabled,
            security_enabled: g.security_enabled,
            created: now - Duration::days(365),
            members: g
                .members
                .iter()
                .filter_map(|a| org.users.iter().find(|u| &u.address == a))
                .map(|u| u.id.clone())
                .collect(),
            member_groups: g.member_groups.clone(),
        })
        .collect()
}
