//! What changes around the apps: a delegate's Exchange level or CRM calendar sharing, the
//! executive's sync on or off, busy services, expired or renewed sign-ins, delta tokens
//! Exchange forgets, time jumping ahead.

use chrono::Duration;
use onbehalf_engine::permission::{OutlookLevel, Permission};
use rand::seq::SliceRandom;
use rand::Rng;

use crate::exchange::DELTA_CACHE;
use crate::people::AppId;
use crate::salesforce::CalendarAccess;
use crate::sim::Sim;

impl Sim {
    pub(super) fn op_permission(&mut self) -> String {
        self.stats.op("permission");
        let d = *AppId::DELEGATES
            .choose(&mut self.rng)
            .unwrap_or(&AppId::DelegateA);
        let levels: &[Permission] = match d {
            AppId::DelegateA => &[
                Permission::of_level(OutlookLevel::DelegateWithPrivate),
                Permission::of_level(OutlookLevel::DelegateWithPrivate),
                Permission::of_level(OutlookLevel::Delegate),
                Permission::of_level(OutlookLevel::Editor).with_private(true),
                Permission::of_level(OutlookLevel::Author),
                Permission::of_level(OutlookLevel::Reviewer),
                Permission::of_level(OutlookLevel::None),
            ],
            AppId::DelegateB | AppId::Owner => &[
                Permission::of_level(OutlookLevel::Delegate),
                Permission::of_level(OutlookLevel::Delegate),
                Permission::of_level(OutlookLevel::Editor),
                Permission::of_level(OutlookLevel::Author),
                Permission::of_level(OutlookLevel::Reviewer),
                Permission::of_level(OutlookLevel::None),
            ],
        };
        let p = *levels.choose(&mut self.rng).unwrap_or(&levels[0]);
        self.world.lock().exchange.grants.insert(
            (d.address().to_string(), AppId::Owner.address().to_string()),
            p,
        );
        self.refresh_apps();
        format!(
            "the executive gives {} {} on the calendar",
            d.short(),
            p.names().outlook
        )
    }

    pub(super) fn op_crm_sharing(&mut self) -> String {
        self.stats.op("crm_sharing");
        let d = *AppId::DELEGATES
            .choose(&mut self.rng)
            .unwrap_or(&AppId::DelegateA);
        let access = *CalendarAccess::ALL
            .choose(&mut self.rng)
            .unwrap_or(&CalendarAccess::ShowDetails);
        self.world.lock().crm.sharing.insert(
            (
                AppId::Owner.crm_user().to_string(),
                d.crm_user().to_string(),
            ),
            access,
        );
        self.refresh_apps();
        format!(
            "the executive shares their CRM calendar with {} as {access:?}",
            d.short()
        )
    }

    pub(super) fn op_owner_sync(&mut self) -> String {
        self.stats.op("owner_sync");
        self.owner_sync_on = !self.owner_sync_on;
        self.refresh_apps();
        format!(
            "the executive turns sync {}",
            if self.owner_sync_on { "on" } else { "off" }
        )
    }

    pub(super) fn op_faults(&mut self) -> String {
        self.stats.op("faults");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let rate = *[0, 0, 20, 80].choose(&mut self.rng).unwrap_or(&0);
        self.world
            .lock()
            .faults
            .entry(app)
            .or_default()
            .busy_per_mille = rate;
        format!("services answer {} busy {rate}‰ of the time", app.short())
    }

    pub(super) fn op_sign_out(&mut self) -> String {
        self.stats.op("sign_in_expires");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let exchange = self.rng.gen_bool(0.5);
        let mut w = self.world.lock();
        let f = w.faults.entry(app).or_default();
        if exchange {
            f.exchange_signed_out = true;
        } else {
            f.crm_signed_out = true;
        }
        format!(
            "{}'s {} sign-in expires",
            app.short(),
            if exchange { "Microsoft 365" } else { "CRM" }
        )
    }

    pub(super) fn op_sign_in(&mut self) -> String {
        self.stats.op("sign_in");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let mut w = self.world.lock();
        let f = w.faults.entry(app).or_default();
        f.exchange_signed_out = false;
        f.crm_signed_out = false;
        format!("{} signs in again", app.short())
    }

    pub(super) fn op_expire_delta(&mut self) -> String {
        self.stats.op("expire_delta");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        self.world.lock().exchange.expire_tokens(app.address());
        format!(
            "Exchange forgets {}'s delta tokens (it keeps {DELTA_CACHE})",
            app.short()
        )
    }

    pub(super) fn op_clock_jump(&mut self) -> String {
        self.stats.op("clock_jump");
        let hours = self.rng.gen_range(1..=8);
        self.advance(Duration::hours(hours));
        format!("{hours} hours pass")
    }
}
