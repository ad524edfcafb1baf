//! The tray menu's items: ids and labels in one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuId {
    Open,
    /// "Problems (n)": opens the window at the Problems view.
    Problems,
    SyncNow,
    /// "Pause sync" while sync is on; while it is off, "Turn sync on…", which opens the
    /// window, where turning it on shows first what the first sync will do.
    PauseSync,
    Refresh,
    StartAtLogin,
    Quit,
}

/// The label of [`MenuId::PauseSync`] while sync is off.
pub const TURN_ON_LABEL: &str = "Turn sync on…";

impl MenuId {
    pub const ALL: [MenuId; 7] = [
        MenuId::Open,
        MenuId::Problems,
        MenuId::SyncNow,
        MenuId::PauseSync,
        MenuId::Refresh,
        MenuId::StartAtLogin,
        MenuId::Quit,
    ];

    pub fn id(self) -> &'static str {
        match self {
            MenuId::Open => "open",
            MenuId::Problems => "problems",
            MenuId::SyncNow => "sync-now",
            MenuId::PauseSync => "pause-sync",
            MenuId::Refresh => "refresh",
            MenuId::StartAtLogin => "start-at-login",
            MenuId::Quit => "quit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MenuId::Open => "Open Onbehalf",
            MenuId::Problems => "Problems",
            MenuId::SyncNow => "Sync now",
            MenuId::PauseSync => "Pause sync",
            MenuId::Refresh => "Refresh calendars",
            MenuId::StartAtLogin => "Start at login",
            MenuId::Quit => "Quit",
        }
    }

    /// The Problems item's label with `n` problems open.
    pub fn problems_label(n: usize) -> String {
        match n {
            0 => MenuId::Problems.label().to_string(),
            n => format!("{} ({n})", MenuId::Problems.label()),
        }
    }

    pub fn parse(id: &str) -> Option<MenuId> {
        MenuId::ALL.into_iter().find(|m| m.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_parses_back_to_its_item() {
        for item in MenuId::ALL {
            assert_eq!(MenuId::parse(item.id()), Some(item));
        }
        assert_eq!(MenuId::parse("unknown"), None);
    }

    #[test]
    fn the_problems_item_says_how_many_wait() {
        assert_eq!(MenuId::problems_label(0), "Problems");
        assert_eq!(MenuId::problems_label(3), "Problems (3)");
    }

    #[test]
    fn labels_are_the_ones_the_menu_promises() {
        let labels: Vec<_> = MenuId::ALL.into_iter().map(MenuId::label).collect();
        assert_eq!(
            labels,
            [
                "Open Onbehalf",
                "Problems",
                "Sync now",
                "Pause sync",
                "Refresh calendars",
                "Start at login",
                "Quit"
            ]
        );
    }
}
