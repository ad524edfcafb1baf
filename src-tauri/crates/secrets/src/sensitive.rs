//! A value that must not leak through formatting or serialization.

use std::fmt;

/// A secret value. `Debug` and `Display` print `[redacted]`; there is no `Serialize`, so the
/// value reaches a file or the network only through an explicit [`Sensitive::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The secret itself. Call it only where the value is sent to its one destination.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Give the secret up, e.g. to hand it to a library that takes ownership.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Sensitive(value.to_string())
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Holder {
        #[allow(dead_code)]
        token: Sensitive<String>,
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Sensitive::new("eyJ0eXAiOiJKV1QiLCJhbGciOi".to_string());
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        let nested = format!("{:?}", Holder { token: s.clone() });
        assert!(!nested.contains("eyJ0"), "{nested}");
        assert!(nested.contains("[redacted]"));
    }

    #[test]
    fn expose_gives_the_value_back() {
        let s: Sensitive<String> = "hunter2".into();
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(s.into_inner(), "hunter2");
    }
}
