//! onbehalf-secrets.
