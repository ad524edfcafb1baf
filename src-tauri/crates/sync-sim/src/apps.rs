//! The three apps: each person's Onbehalf with its own store (in memory, kept across crashes),
//! its sync context and its two ports. What an app knows of its rights (its context) is
//! refreshed from the world whenever they change, as discovery would tell it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::permission::Rights;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_store::{Account, Store};
use onbehalf_sync::{Calendar, Context, Settings};
use tokio::sync::Notify;

use crate::crm::SimCrm;
use crate::items::SimItems;
use crate::people::{AppId, CRM, ORG, SHARE_CATEGORY};
use crate::world::{World, WorldState};

/// What a run's seed chose for the apps' settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Which side decides a field changed on both.
    pub winner: Winner,
    /// The admin allows private sync, and the executive and delegate A turned it on.
    pub private_sync: bool,
    /// Delegate A may create the executive's CRM events directly.
    pub direct_share: bool,
    /// Every app brings the events its user made in the CRM into their own calendar.
    pub crm_to_exchange: bool,
    /// The CRM org has Onbehalf's external-id field on events.
    pub crm_keeps_item_ids: bool,
}

/// One person's Onbehalf.
#[derive(Debug)]
pub struct App {
    pub id: AppId,
    pub store: Arc<Store>,
    pub ctx: Context,
    pub items: SimItems,
    pub crm: SimCrm,
    /// Told when the app dies mid-way.
    pub crash: Arc<Notify>,
}

impl App {
    pub fn new(id: AppId, world: &World, config: Config, now: DateTime<Utc>) -> App {
        let store = Store::open_in_memory().expect("an in-memory store opens");
        let account_id = format!("tenant-contoso.{}", id.short());
        store
            .accounts()
            .upsert(&Account {
                id: account_id.clone(),
                tenant_id: "tenant-contoso".to_string(),
                object_id: id.short().to_string(),
                address: id.address().to_string(),
                display_name: id.name().to_string(),
                authority: "https://login.microsoftonline.sim".to_string(),
                client_id: "onbehalf".to_string(),
                graph_url: "https://graph.microsoft.sim/v1.0".to_string(),
                signed_in_at: now,
            })
            .expect("the account is kept");
        let own = Calendar {
            owner: id.address().to_string(),
            owner_name: id.name().to_string(),
            is_own: true,
            rights: Rights::OWNER_SELF,
            level: "Owner".to_string(),
            owner_sync_on: true,
            owner_crm_user: Some(id.crm_user().to_string()),
            may_add_crm: Some(true),
            direct_share: false,
        };
        let ctx = Context {
            account_id,
            me: id.address().to_string(),
            crm: CRM.to_string(),
            crm_org: ORG.to_string(),
            crm_user: id.crm_user().to_string(),
            calendars: vec![own],
            settings: Settings {
                days_back: 14,
                days_ahead: 60,
                share_category: SHARE_CATEGORY.to_string(),
                private_sync: config.private_sync && id != AppId::DelegateB,
                winner: config.winner,
                reread_minutes: 5,
                crm_to_exchange: config.crm_to_exchange,
            },
            keeps_item_ids: None,
        };
        let crash = Arc::new(Notify::new());
        App {
            id,
            store: Arc::new(store),
            ctx,
            items: SimItems::new(world.clone(), id, Arc::clone(&crash)),
            crm: SimCrm::new(world.clone(), id, Arc::clone(&crash)),
            crash,
        }
    }

    /// What the app knows of the executive's calendar, from the world as discovery reads it:
    /// its rights, the level's name, whether the executive's sync is on, and whether its CRM
    /// user may add the executive's events.
    pub fn refresh(&mut self, w: &WorldState, owner_sync_on: bool, config: Config) {
        let owner = AppId::Owner;
        match self.id {
            AppId::Owner => {
                if let Some(own) = self.ctx.calendars.first_mut() {
                    own.owner_sync_on = owner_sync_on;
                }
            }
            AppId::DelegateA | AppId::DelegateB => {
                self.ctx.calendars.retain(|c| c.is_own);
                let grant = w
                    .exchange
                    .grants
                    .get(&(self.id.address().to_string(), owner.address().to_string()));
                let Some(grant) = grant else {
                    return;
                };
                let rights = grant.rights();
                if rights.read == onbehalf_engine::permission::ReadLevel::None {
                    return;
                }
                let adds = w
                    .crm
                    .calendar_access(owner.crm_user(), self.id.crm_user())
                    .adds_events();
                self.ctx.calendars.push(Calendar {
                    owner: owner.address().to_string(),
                    owner_name: owner.name().to_string(),
                    is_own: false,
                    rights,
                    level: grant.names().outlook,
                    owner_sync_on,
                    owner_crm_user: Some(owner.crm_user().to_string()),
                    may_add_crm: Some(adds),
                    direct_share: config.direct_share && self.id == AppId::DelegateA,
                });
            }
        }
    }
}
