//! The user's own configuration as policy layers: environment variables over the configuration
//! file's `[microsoft]`, `[salesforce]` and `[policy]` tables. Machine policy locks over them.

use onbehalf_engine::policy::{Key, Layer, Raw, Strength};

use crate::config::{
    ENV_AUTHORITY, ENV_CLIENT_ID, ENV_GRAPH_URL, ENV_SALESFORCE_CLIENT_ID, ENV_SALESFORCE_LOGIN_URL,
};

/// What the configuration file says about settings policy also decides.
#[derive(Debug, Default, Clone)]
pub(crate) struct FileSettings<'a> {
    pub path: Option<&'a str>,
    pub microsoft_authority: Option<&'a str>,
    pub graph_url: Option<&'a str>,
    pub microsoft_client_id: Option<&'a str>,
    pub salesforce_login_url: Option<&'a str>,
    pub salesforce_client_id: Option<&'a str>,
    /// The `[policy]` table, any policy key.
    pub policy: Option<&'a toml::Table>,
}

/// The environment's overrides, then the file's settings.
pub(crate) fn user_layers(
    file: &FileSettings<'_>,
    env: impl Fn(&str) -> Option<String>,
) -> Vec<Layer> {
    let mut layers = Vec::new();
    for (var, key) in [
        (ENV_AUTHORITY, Key::MicrosoftAuthority),
        (ENV_GRAPH_URL, Key::GraphUrl),
        (ENV_CLIENT_ID, Key::MicrosoftClientId),
        (ENV_SALESFORCE_LOGIN_URL, Key::SalesforceLoginUrl),
        (ENV_SALESFORCE_CLIENT_ID, Key::SalesforceClientId),
    ] {
        if let Some(v) = env(var) {
            layers.push(Layer::new(
                format!("environment variable {var}"),
                Strength::User,
                Raw::table([(key.name(), Raw::Text(v))]),
            ));
        }
    }
    let Some(path) = file.path else {
        return layers;
    };
    let mut doc = match file.policy.map(super::toml_doc::from_table) {
        Some(Raw::Table(t)) => t,
        _ => Default::default(),
    };
    for (key, value) in [
        (Key::MicrosoftAuthority, file.microsoft_authority),
        (Key::GraphUrl, file.graph_url),
        (Key::MicrosoftClientId, file.microsoft_client_id),
        (Key::SalesforceLoginUrl, file.salesforce_login_url),
        (Key::SalesforceClientId, file.salesforce_client_id),
    ] {
        if let Some(v) = value {
            doc.insert(key.name().to_string(), Raw::text(v));
        }
    }
    layers.push(Layer::new(path, Strength::User, Raw::Table(doc)));
    layers
}
