//! onbehalf-sandbox.
