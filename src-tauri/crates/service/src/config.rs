//! Where Onbehalf talks to and where it keeps its data. Endpoints are configuration, never
//! constants: a TOML file (`--config`), overridden by `ONBEHALF_*` environment variables, and
//! the in-process sandbox when `--sandbox` is given. Machine policy (`crate::policy`) is laid
//! over both: what an administrator set there wins and is locked.

use std::path::{Path, PathBuf};

use onbehalf_engine::policy::{resolve, Key, Layer, Policy, PolicyError};
use onbehalf_http::Trust;
use serde::Deserialize;

use crate::error::ServiceError;
use crate::policy::{machine_layers, user_layers, FileSettings};

pub const ENV_AUTHORITY: &str = "ONBEHALF_MICROSOFT_AUTHORITY";
pub const ENV_GRAPH_URL: &str = "ONBEHALF_GRAPH_URL";
pub const ENV_CLIENT_ID: &str = "ONBEHALF_CLIENT_ID";
pub const ENV_DATA_DIR: &str = "ONBEHALF_DATA_DIR";
pub const ENV_CONFIG: &str = "ONBEHALF_CONFIG";
pub const ENV_SALESFORCE_LOGIN_URL: &str = "ONBEHALF_SALESFORCE_LOGIN_URL";
pub const ENV_SALESFORCE_CLIENT_ID: &str = "ONBEHALF_SALESFORCE_CLIENT_ID";
pub const ENV_SALESFORCE_API_VERSION: &str = "ONBEHALF_SALESFORCE_API_VERSION";
pub const ENV_CA_FILE: &str = "ONBEHALF_CA_FILE";

/// An API version every current Salesforce org serves; checked against the org at sign-in.
const DEFAULT_SALESFORCE_API_VERSION: &str = "62.0";
/// The redirect port Onbehalf's connected app registers (the Salesforce CLI's).
const DEFAULT_SALESFORCE_REDIRECT_PORT: u16 = 1717;
/// The share of the daily API allowance writes leave untouched, for the org's other users.
const DEFAULT_BUDGET_RESERVE_PERCENT: u8 = 10;

/// How the app or the CLI was started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub sandbox: bool,
    /// The in-process sandbox serves HTTPS under its local CA, which Onbehalf then trusts
    /// (the CLI's `--sandbox-tls`, which implies `--sandbox`). The app does not offer it: its
    /// sign-in window is a web view that trusts the system's CAs only.
    pub sandbox_tls: bool,
    /// A machine policy file read instead of this computer's (`--policy-file`,
    /// `ONBEHALF_POLICY_FILE`).
    pub policy_file: Option<PathBuf>,
}

impl Options {
    /// Read `--config FILE`, `--data-dir DIR` and `--sandbox` from the arguments (other
    /// arguments are ignored), with `ONBEHALF_CONFIG` and `ONBEHALF_DATA_DIR` as fallbacks.
    pub fn from_env_and_args(args: &[String]) -> Options {
        let mut opts = Options::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--sandbox" => opts.sandbox = true,
                "--config" => opts.config_file = it.next().map(PathBuf::from),
                "--data-dir" => opts.data_dir = it.next().map(PathBuf::from),
                "--policy-file" => opts.policy_file = it.next().map(PathBuf::from),
                other => {
                    if let Some(v) = other.strip_prefix("--config=") {
                        opts.config_file = Some(PathBuf::from(v));
                    } else if let Some(v) = other.strip_prefix("--data-dir=") {
                        opts.data_dir = Some(PathBuf::from(v));
                    } else if let Some(v) = other.strip_prefix("--policy-file=") {
                        opts.policy_file = Some(PathBuf::from(v));
                    }
                }
            }
        }
        if opts.config_file.is_none() {
            opts.config_file = std::env::var_os(ENV_CONFIG).map(PathBuf::from);
        }
        if opts.data_dir.is_none() {
            opts.data_dir = std::env::var_os(ENV_DATA_DIR).map(PathBuf::from);
        }
        if opts.policy_file.is_none() {
            opts.policy_file = std::env::var_os(crate::policy::ENV_POLICY_FILE)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from);
        }
        opts
    }
}

/// The `[microsoft]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicrosoftConfig {
    pub authority: String,
    pub graph_url: String,
    pub client_id: Option<String>,
}

/// The `[salesforce]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesforceConfig {
    /// Production, `https://test.salesforce.com`, or the org's My Domain.
    pub login_url: String,
    pub client_id: Option<String>,
    pub api_version: String,
    /// Writes stop when less than this share of the daily API allowance is left.
    pub budget_reserve_percent: u8,
    /// The loopback port of the browser sign-in. Salesforce matches the redirect URI exactly,
    /// port included, so it is the one the connected app registers; 0 picks any free port,
    /// for servers that allow it (the sandbox).
    pub redirect_port: u16,
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub microsoft: MicrosoftConfig,
    pub salesforce: SalesforceConfig,
    /// The policy in force, without the user's kept sync settings.
    pub policy: Policy,
    /// Machine policy and the user's configuration, for laying the kept settings between.
    pub policy_layers: Vec<Layer>,
    pub data_dir: PathBuf,
    /// A PEM file of certificate authorities trusted besides the built-in ones (`ca_file`,
    /// `ONBEHALF_CA_FILE`), such as a local server's over HTTPS. Read once, at start.
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    /// Relative to the configuration file's folder.
    #[serde(default)]
    ca_file: Option<PathBuf>,
    #[serde(default)]
    microsoft: FileMicrosoft,
    #[serde(default)]
    salesforce: FileSalesforce,
    /// Any policy setting, as the user's own choice (machine policy may lock it).
    #[serde(default)]
    policy: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSalesforce {
    login_url: Option<String>,
    client_id: Option<String>,
    api_version: Option<String>,
    budget_reserve_percent: Option<u8>,
    redirect_port: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMicrosoft {
    authority: Option<String>,
    graph_url: Option<String>,
    client_id: Option<String>,
}

impl Config {
    /// Resolve the configuration: defaults, then the file, then the environment.
    pub fn load(opts: &Options) -> Result<Config, ServiceError> {
        Config::load_with(opts, |k| std::env::var(k).ok())
    }

    /// [`Config::load`] with the environment variables `env_var` gives.
    fn load_with(
        opts: &Options,
        env_var: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ServiceError> {
        let file = match &opts.config_file {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let env = |k: &str| env_var(k).filter(|v| !v.trim().is_empty());
        let path_text = opts.config_file.as_ref().map(|p| p.display().to_string());
        let mut policy_layers = machine_layers(opts.policy_file.as_deref())?;
        policy_layers.extend(user_layers(
            &FileSettings {
                path: path_text.as_deref(),
                microsoft_authority: file.microsoft.authority.as_deref(),
                graph_url: file.microsoft.graph_url.as_deref(),
                microsoft_client_id: file.microsoft.client_id.as_deref(),
                salesforce_login_url: file.salesforce.login_url.as_deref(),
                salesforce_client_id: file.salesforce.client_id.as_deref(),
                policy: file.policy.as_ref(),
            },
            env,
        ));
        let policy = resolve(&policy_layers).map_err(|e| policy_error(&e))?;
        for note in &policy.notes {
            tracing::warn!(place = %note.place, key = %note.key, "{}", note.note);
        }
        let text = |k: Key| policy.text(k).map(str::to_string);
        let microsoft = MicrosoftConfig {
            authority: text(Key::MicrosoftAuthority).unwrap_or_default(),
            graph_url: text(Key::GraphUrl).unwrap_or_default(),
            client_id: text(Key::MicrosoftClientId),
        };
        let salesforce = SalesforceConfig {
            login_url: text(Key::SalesforceLoginUrl).unwrap_or_default(),
            // `crm = "none"`: no CRM is offered, whatever client id is configured.
            client_id: text(Key::SalesforceClientId)
                .filter(|_| text(Key::Crm).as_deref() != Some("none")),
            api_version: env(ENV_SALESFORCE_API_VERSION)
                .or(file.salesforce.api_version)
                .map(|v| v.trim().trim_start_matches(['v', 'V']).to_string())
                .unwrap_or_else(|| DEFAULT_SALESFORCE_API_VERSION.to_string()),
            budget_reserve_percent: match file.salesforce.budget_reserve_percent {
                Some(p) if p > 100 => {
                    return Err(ServiceError::config(format!(
                        "budget_reserve_percent in the [salesforce] table is a share of 100; \
                         {p} is more."
                    )))
                }
                Some(p) => p,
                None => DEFAULT_BUDGET_RESERVE_PERCENT,
            },
            redirect_port: file
                .salesforce
                .redirect_port
                .unwrap_or(DEFAULT_SALESFORCE_REDIRECT_PORT),
        };
        let data_dir = opts.resolved_data_dir()?;
        // A path in the file is relative to the file's folder (an absolute one stays).
        let folder = opts.config_file.as_deref().and_then(Path::parent);
        let ca_file = env(ENV_CA_FILE).map(PathBuf::from).or_else(|| {
            file.ca_file.map(|p| match folder {
                Some(folder) => folder.join(p),
                None => p,
            })
        });
        Ok(Config {
            microsoft,
            salesforce,
            policy,
            policy_layers,
            data_dir,
            ca_file,
        })
    }
}

impl Config {
    /// The roots every HTTP client trusts: the built-in ones, plus those of [`Config::ca_file`],
    /// read now. A file that cannot be used is an error: the connections it was meant for
    /// would all fail, each less clearly.
    pub(crate) fn trust(&self) -> Result<Trust, ServiceError> {
        let Some(path) = &self.ca_file else {
            return Ok(Trust::default());
        };
        let trust = Trust::from_pem_file(path).map_err(|e| {
            ServiceError::config(format!(
                "{e}. Correct ca_file in the configuration file or {ENV_CA_FILE}, or remove it."
            ))
        })?;
        tracing::info!(file = %path.display(), "trusting the CAs of a CA file too");
        Ok(trust)
    }
}

/// Policy values that cannot be read, as one configuration error that lists each.
pub(crate) fn policy_error(errors: &[PolicyError]) -> ServiceError {
    let lines: Vec<String> = errors.iter().map(|e| format!("- {e}")).collect();
    ServiceError::config(format!(
        "Onbehalf cannot read the policy it was given and will not start until this is \
         corrected:\n{}",
        lines.join("\n")
    ))
}

fn read_file(path: &Path) -> Result<FileConfig, ServiceError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ServiceError::config(format!(
            "Could not read the configuration file {}: {e}",
            path.display()
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        ServiceError::config(format!(
            "The configuration file {} is not valid: {}",
            path.display(),
            e.message()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_sets_every_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("onbehalf.toml");
        std::fs::write(
            &path,
            "[microsoft]\nauthority = \"https://login.microsoftonline.us/contoso.us\"\n\
             graph_url = \"https://graph.microsoft.us/v1.0\"\nclient_id = \"abc\"\n",
        )
        .unwrap();
        let file = read_file(&path).unwrap();
        assert_eq!(
            file.microsoft.authority.as_deref(),
            Some("https://login.microsoftonline.us/contoso.us")
        );
        assert_eq!(
            file.microsoft.graph_url.as_deref(),
            Some("https://graph.microsoft.us/v1.0")
        );
        assert_eq!(file.microsoft.client_id.as_deref(), Some("abc"));
    }

    #[test]
    fn the_salesforce_table_sets_the_login_host_client_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("onbehalf.toml");
        std::fs::write(
            &path,
            "[salesforce]\nlogin_url = \"https://contoso.my.salesforce.com\"\n\
             client_id = \"3MVG9\"\napi_version = \"v61.0\"\nbudget_reserve_percent = 20\n",
        )
        .unwrap();
        let config = Config::load(&Options {
            config_file: Some(path),
            data_dir: Some(dir.path().to_path_buf()),
            sandbox: false,
            sandbox_tls: false,
            policy_file: None,
        })
        .unwrap();
        assert_eq!(
            config.salesforce.login_url,
            "https://contoso.my.salesforce.com"
        );
        assert_eq!(config.salesforce.client_id.as_deref(), Some("3MVG9"));
        assert_eq!(config.salesforce.api_version, "61.0");
        assert_eq!(config.salesforce.budget_reserve_percent, 20);
    }

    #[test]
    fn a_misspelt_key_is_an_error_that_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[microsoft]\ngraph_uri = \"x\"\n").unwrap();
        let err = read_file(&path).err().unwrap();
        assert!(err.message.contains("bad.toml"), "{}", err.message);
    }

    #[test]
    fn machine_policy_locks_over_the_users_file_and_can_turn_the_crm_off() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("onbehalf.toml");
        std::fs::write(
            &mine,
            "[microsoft]\ngraph_url = \"https://graph.microsoft.com/v1.0\"\n\
             [salesforce]\nclient_id = \"3MVG9\"\n",
        )
        .unwrap();
        let policy = dir.path().join("policy.toml");
        std::fs::write(
            &policy,
            "graph_url = \"https://graph.microsoft.us/v1.0\"\ncrm = \"none\"\n",
        )
        .unwrap();
        let config = Config::load(&Options {
            config_file: Some(mine),
            data_dir: Some(dir.path().to_path_buf()),
            sandbox: false,
            sandbox_tls: false,
            policy_file: Some(policy),
        })
        .unwrap();
        assert_eq!(
            config.microsoft.graph_url,
            "https://graph.microsoft.us/v1.0"
        );
        assert!(config.policy.locked(Key::GraphUrl));
        assert_eq!(config.salesforce.client_id, None, "no CRM by policy");
    }

    #[test]
    fn the_ca_file_is_relative_to_the_config_folder_and_the_environment_overrides_it() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("conf");
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("onbehalf.toml");
        std::fs::write(
            &path,
            "ca_file = \"certs/local-ca.pem\"\n[microsoft]\nclient_id = \"abc\"\n",
        )
        .unwrap();
        let opts = Options {
            config_file: Some(path),
            data_dir: Some(dir.path().to_path_buf()),
            sandbox: false,
            sandbox_tls: false,
            policy_file: None,
        };
        let from_file = Config::load_with(&opts, |_| None).unwrap();
        assert_eq!(from_file.ca_file, Some(folder.join("certs/local-ca.pem")));

        let from_env = Config::load_with(&opts, |k| {
            (k == ENV_CA_FILE).then(|| "/etc/onbehalf/ca.pem".to_string())
        })
        .unwrap();
        assert_eq!(
            from_env.ca_file,
            Some(PathBuf::from("/etc/onbehalf/ca.pem"))
        );

        let no_file = Options {
            config_file: None,
            ..opts
        };
        assert_eq!(Config::load_with(&no_file, |_| None).unwrap().ca_file, None);
        let env_only = Config::load_with(&no_file, |k| {
            (k == ENV_CA_FILE).then(|| "relative/ca.pem".to_string())
        })
        .unwrap();
        assert_eq!(env_only.ca_file, Some(PathBuf::from("relative/ca.pem")));
    }

    #[test]
    fn a_ca_file_that_cannot_be_read_is_a_configuration_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::load_with(
            &Options {
                data_dir: Some(dir.path().to_path_buf()),
                ..Options::default()
            },
            |_| None,
        )
        .unwrap();
        assert_eq!(config.trust().unwrap(), Trust::default());

        config.ca_file = Some(dir.path().join("missing-ca.pem"));
        let err = config.trust().unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Config);
        assert!(err.message.contains("missing-ca.pem"), "{}", err.message);

        let empty = dir.path().join("empty-ca.pem");
        std::fs::write(&empty, "").unwrap();
        config.ca_file = Some(empty);
        let err = config.trust().unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Config);
        assert!(err.message.contains("empty-ca.pem"), "{}", err.message);
    }

    #[test]
    fn arguments_are_read_in_both_spellings() {
        let args: Vec<String> = ["x", "--sandbox", "--data-dir=/tmp/a", "--config", "/c.toml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = Options::from_env_and_args(&args);
        assert!(o.sandbox);
        assert_eq!(o.data_dir, Some(PathBuf::from("/tmp/a")));
        assert_eq!(o.config_file, Some(PathBuf::from("/c.toml")));
    }
}
