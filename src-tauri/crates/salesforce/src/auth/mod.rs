//! Signing in to Salesforce: the web server flow with PKCE through the system browser, the
//! device flow for headless machines, refresh with rotation, revocation on sign-out, and the
//! [`AccessTokens`] providers the client draws on.

mod device;
mod error;
mod oauth;
mod provider;
mod refresh;
mod tokens;
mod urls;
mod web;

pub use device::{DevicePolling, DevicePrompt, DeviceSignIn};
pub use error::AuthError;
pub use provider::{
    on_new_sign_in, Access, AccessTokens, OnNewSignIn, PersistError, TokenProvider,
};
pub use refresh::{refresh, revoke};
pub use tokens::{IdentityUrl, SavedSignIn, TokenSet};
pub use web::WebSignIn;
