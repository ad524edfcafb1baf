//! Signing in to the Microsoft identity platform v2.0: authorization code with PKCE through
//! the system browser, device code for headless machines, refresh with rotation, and the
//! [`AccessTokens`] providers the Graph client draws on.

mod claims;
mod device;
mod error;
mod loopback;
mod oauth;
mod provider;
mod refresh;
mod tokens;

pub use claims::AccountClaims;
pub use device::{DeviceCodePrompt, DeviceCodeSignIn};
pub use error::AuthError;
pub use loopback::{LoopbackSignIn, SignInHint};
pub use provider::{AccessTokens, OnNewTokens, StaticTokens};
pub use refresh::refresh;
pub use tokens::{SavedSignIn, TokenSet};
