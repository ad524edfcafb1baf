//! onbehalf-store.
