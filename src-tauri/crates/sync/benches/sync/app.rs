//! One person's sync over the real clients, run until a cycle does nothing.

use super::*;

/// One person's Onbehalf: their two signed-in clients, their store and their sync's context
/// (their own calendar; the idle poll adds the owners').
pub(crate) struct App {
    pub(crate) items: GraphItems,
    pub(crate) crm: SalesforceCrm,
    pub(crate) store: Arc<Store>,
    pub(crate) ctx: Context,
}

impl App {
    /// Sign `address` in to Microsoft 365 and to the CRM through the normal sign-in flows, and
    /// open a store in `dir`; also the Graph access token, for filling the calendar.
    pub(crate) async fn sign_in(
        sb: &Sandbox,
        address: &str,
        dir: &Path,
    ) -> Result<(App, String), Failure> {
        let endpoints = endpoints(sb)?;
        let tokens = graph_sign_in(sb, address).await?;
        let token = tokens.access_token.expose().clone();
        let account = tokens.account.clone();
        let provider = StaticTokens::new(endpoints.clone(), tokens, Box::new(|_| {}));
        let client = GraphClient::new(
            endpoints.graph_url.clone(),
            Arc::new(provider),
            &endpoints.trust,
        )?;
        let items = GraphItems::new(client, address);

        let mut config = SalesforceConfig::new(
            Url::parse(&sb.salesforce_login_url())?,
            sb.salesforce_client_id(),
        );
        config.redirect_port = 0;
        let (flow, url) = WebSignIn::start(&config, Some(address)).await?;
        let browser = reqwest::Client::new();
        let (visited, crm_tokens) = tokio::join!(
            browser.get(url.as_str()).send(),
            flow.finish(Duration::from_secs(30))
        );
        visited?;
        let crm_tokens = crm_tokens?;
        let org = crm_tokens.identity_url.org_id().to_string();
        let user = crm_tokens.identity_url.user_id().to_string();
        let provider =
            TokenProvider::new(&config, crm_tokens, on_new_sign_in(|_| async { Ok(()) }))?;
        let crm = SalesforceCrm::new(SalesforceClient::new(
            config.api_version.clone(),
            Arc::new(provider),
            &config.trust,
        )?);

        let store = Store::open(&dir.join(format!("{address}.sqlite3")))?;
        let id = format!("{}.{}", account.tenant_id, account.object_id);
        store.accounts().upsert(&Account {
            id: id.clone(),
            tenant_id: account.tenant_id.clone(),
            object_id: account.object_id.clone(),
            address: address.to_string(),
            display_name: account.name.clone(),
            authority: endpoints.authority.to_string(),
            client_id: endpoints.client_id.clone(),
            graph_url: endpoints.graph_url.to_string(),
            signed_in_at: Utc::now(),
        })?;
        let me = address.to_lowercase();
        let ctx = Context {
            account_id: id,
            me: me.clone(),
            crm: "salesforce".to_string(),
            crm_org: org,
            crm_user: user.clone(),
            calendars: vec![Calendar {
                owner: me,
                owner_name: account.name,
                is_own: true,
                rights: Rights::OWNER_SELF,
                level: "Owner".to_string(),
                owner_sync_on: true,
                owner_crm_user: Some(user),
                may_add_crm: Some(true),
                direct_share: false,
            }],
            settings: Settings::default(),
            keeps_item_ids: None,
        };
        let app = App {
            items,
            crm,
            store: Arc::new(store),
            ctx,
        };
        Ok((app, token))
    }
}

/// What running one app's sync until a cycle did nothing cost (that last cycle left out).
pub(crate) struct Settled {
    /// The cycles that did something.
    pub(crate) cycles: usize,
    /// A cycle did nothing before [`MAX_CYCLES`].
    pub(crate) settled: bool,
    pub(crate) shared: usize,
    pub(crate) graph: GraphCounts,
    pub(crate) crm: SalesforceCounts,
    pub(crate) elapsed: Duration,
}

pub(crate) fn did_nothing(r: &Report) -> bool {
    r.exchange_writes == 0 && r.crm_writes == 0 && r.deferred == 0
}

pub(crate) async fn settle(app: &App, sb: &Sandbox) -> Result<Settled, Failure> {
    let (graph, crm) = (sb.faults(), sb.salesforce_faults());
    let (graph0, crm0, started) = (graph.graph_counts(), crm.counts(), Instant::now());
    let mut out = Settled {
        cycles: 0,
        settled: false,
        shared: 0,
        graph: GraphCounts::default(),
        crm: SalesforceCounts::default(),
        elapsed: Duration::ZERO,
    };
    for _ in 0..MAX_CYCLES {
        let report = run_cycle(
            &app.items,
            &app.crm,
            &app.store,
            &app.ctx,
            Mode::Execute,
            Utc::now(),
        )
        .await?;
        if did_nothing(&report) {
            out.settled = true;
            break;
        }
        out.cycles += 1;
        out.shared += report.shared;
        out.graph = graph.graph_counts().since(&graph0);
        out.crm = crm.counts().since(&crm0);
        out.elapsed = started.elapsed();
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Sign-in and filling calendars through the sandbox's Graph, as Outlook would
