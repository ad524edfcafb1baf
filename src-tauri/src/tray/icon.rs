//! One tray icon per state, drawn by `icons/generate.py` and built into the binary.

use tauri::image::Image;

use crate::status::{Indicator, Shown};

fn png(indicator: Indicator) -> &'static [u8] {
    match indicator {
        Indicator::Ok => include_bytes!("../../../icons/tray-ok.png"),
        Indicator::Syncing => include_bytes!("../../../icons/tray-syncing.png"),
        Indicator::Paused => include_bytes!("../../../icons/tray-paused.png"),
        Indicator::Error => include_bytes!("../../../icons/tray-error.png"),
        Indicator::Attention => include_bytes!("../../../icons/tray-attention.png"),
        Indicator::SignedOut => include_bytes!("../../../icons/tray-signed-out.png"),
    }
}

pub fn image(indicator: Indicator) -> tauri::Result<Image<'static>> {
    Image::from_bytes(png(indicator))
}

/// The tooltip, saying in words what the icon shows and why.
pub fn tooltip(shown: Shown) -> String {
    let said = match shown {
        Shown::UpToDate => "Onbehalf: up to date",
        Shown::NeedsAttention(1) => "Onbehalf: 1 problem waits for you. Open Onbehalf for details.",
        Shown::NeedsAttention(n) => {
            return format!("Onbehalf: {n} problems wait for you. Open Onbehalf for details.")
        }
        Shown::Working => "Onbehalf: working…",
        Shown::Syncing => "Onbehalf: syncing with the CRM…",
        Shown::SignedOut => "Onbehalf: signed out",
        Shown::SyncOff => "Onbehalf: sync is off",
        Shown::SyncStopped => "Onbehalf: sync stopped. Open Onbehalf for details.",
        Shown::Failed => "Onbehalf: something went wrong. Open Onbehalf for details.",
    };
    said.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_says_why_in_its_own_words() {
        let all = [
            Shown::UpToDate,
            Shown::NeedsAttention(1),
            Shown::NeedsAttention(4),
            Shown::Working,
            Shown::Syncing,
            Shown::SignedOut,
            Shown::SyncOff,
            Shown::SyncStopped,
            Shown::Failed,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(tooltip(*a).starts_with("Onbehalf: "), "{a:?}");
            for b in &all[i + 1..] {
                assert_ne!(tooltip(*a), tooltip(*b), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn every_state_has_a_decodable_icon_of_its_own() {
        let all = [
            Indicator::Ok,
            Indicator::Syncing,
            Indicator::Paused,
            Indicator::Error,
            Indicator::Attention,
            Indicator::SignedOut,
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
