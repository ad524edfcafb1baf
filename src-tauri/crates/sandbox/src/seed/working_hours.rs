//! Each demo mailbox's working hours, as its mailbox settings hold them for `getSchedule`.

use chrono::NaiveTime;

use super::HOME_ZONE;
use crate::state::{CustomZone, WorkingHours, WorkingZone, ZoneTransition};

/// A demo mailbox's working hours: Monday to Friday, 08:00 to 17:00, in the user's own zone.
/// Most of Contoso works on the East Coast ("Eastern Standard Time"); Carla Mendes works from
/// the West Coast office ("Pacific Standard Time"); Hannah Schmidt set her hours in a custom
/// zone (Central European rules, as Outlook writes a `customTimeZone`), so the sandbox serves
/// both forms of Graph's `timeZoneBase`.
pub(crate) fn working_hours(address: &str) -> WorkingHours {
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    let local = address
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let time_zone = match local.as_str() {
        "carla.mendes" => WorkingZone::Named("Pacific Standard Time".to_string()),
        "hannah.schmidt" => WorkingZone::Custom(CustomZone {
            name: "Customized Time Zone".to_string(),
            bias: -60,
            standard: ZoneTransition {
                time: hm(3, 0),
                day_occurrence: 5,
                day_of_week: "sunday".to_string(),
                month: 10,
                year: 0,
            },
            daylight: ZoneTransition {
                time: hm(2, 0),
                day_occurrence: 5,
                day_of_week: "sunday".to_string(),
                month: 3,
                year: 0,
            },
            daylight_bias: -60,
        }),
        _ => WorkingZone::Named(HOME_ZONE.to_string()),
    };
    WorkingHours {
        days_of_week: ["monday", "tuesday", "wednesday", "thursday", "friday"]
            .iter()
            .map(|d| d.to_string())
            .collect(),
        start: hm(8, 0),
        end: hm(17, 0),
        time_zone,
    }
}
