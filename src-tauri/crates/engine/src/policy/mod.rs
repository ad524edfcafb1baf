//! Admin policy: the settings an administrator decides, from machine policy (the Windows
//! registry, macOS managed preferences, `/etc/onbehalf/policy.toml`) over the user's own
//! configuration over defaults. A setting from mandatory machine policy is locked; a
//! recommended one is only a default. Sources are read elsewhere into [`raw::Raw`] documents;
//! everything here is pure.
//!
//! - [`keys`]: every setting policy knows, its kind, bounds and default.
//! - [`value`]: reading a raw value as a setting's kind, with a clear error.
//! - [`layers`]: the layering itself, unknown keys reported and ignored.
//! - [`profile`]: profile permissions (which features a user may use) and their assignment.
//! - [`watch`]: owners every user, or the users of a group, watch.

pub mod keys;
pub mod layers;
pub mod profile;
pub mod raw;
pub mod value;
pub mod watch;

pub use keys::{Key, Kind};
pub use layers::{resolve, Effective, Layer, Origin, Policy, PolicyError, PolicyNote, Strength};
pub use profile::{choose, needs, Feature, FeatureLine, Grants, ProfileChoice, ProfileSource};
pub use raw::Raw;
pub use value::Value;
pub use watch::{owners_for, Membership, WatchRule};
