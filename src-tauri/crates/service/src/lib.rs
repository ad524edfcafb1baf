//! onbehalf-service.
