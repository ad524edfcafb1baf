//! One tray icon per state, drawn by `icons/generate.py` and built into the binary.

use tauri::image::Image;

use crate::status::Indicator;

fn png(indicator: Indicator) -> &'static [u8] {
    match indicator {
        Indicator::Ok => include_bytes!("../../../icons/tray-ok.png"),
        Indicator::Syncing => include_bytes!("../../../icons/tray-syncing.png"),
        Indicator::Paused => include_bytes!("../../../icons/tray-paused.png"),
        Indicator::Error => include_bytes!("../../../icons/tray-error.png"),
    }
}

pub fn image(indicator: Indicator) -> tauri::Result<Image<'static>> {
    Image::from_bytes(png(indicator))
}

/// The tooltip, saying the same as the icon in words.
pub fn tooltip(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::Ok => "Onbehalf: up to date",
        Indicator::Syncing => "Onbehalf: refreshing calendars…",
        Indicator::Paused => "Onbehalf: signed out",
        Indicator::Error => "Onbehalf: something went wrong. Open Onbehalf for details.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_decodable_icon_of_its_own() {
        let all = [
            Indicator::Ok,
            Indicator::Syncing,
            Indicator::Paused,
            Indicator::Error,
        ];
        for (i, a) in all.iter().enumerate() {
            let decoded = image(*a);
            assert!(decoded.is_ok(), "{a:?} icon does not decode");
            if let Ok(img) = decoded {
                assert_eq!((img.width(), img.height()), (32, 32), "{a:?}");
            }
            for b in &all[i + 1..] {
                assert_ne!(png(*a), png(*b), "{a:?} and {b:?} share an icon");
            }
        }
    }
}
