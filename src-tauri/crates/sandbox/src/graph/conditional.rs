//! `If-Match` on writes to an event: the write proceeds only while the item is at one of the
//! versions named (its `@odata.etag`, `W/"<changeKey>"`, or `*` for any), and is refused with
//! 412 otherwise, so two writers that read the same version cannot both win.

use super::error::GraphError;

/// Check an `If-Match` value against the item's current change key. No header: no condition.
///
/// Assumption: entity tags compare weakly (a `W/` prefix is ignored), as RFC 9110 has `If-Match`
/// compare strongly but Graph itself hands out only weak tags for events; the event pages do
/// not document the header beyond the generic 412 of the errors page.
pub(crate) fn check(if_match: Option<&str>, change_key: &str) -> Result<(), GraphError> {
    let Some(value) = if_match else {
        return Ok(());
    };
    let matches = value.split(',').map(str::trim).any(|tag| {
        tag == "*" || {
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag.trim_matches('"') == change_key
        }
    });
    if matches {
        Ok(())
    } else {
        Err(GraphError::precondition_failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_tag_or_a_star_passes_and_anything_else_is_412() {
        assert!(check(None, "ck1").is_ok());
        assert!(check(Some("W/\"ck1\""), "ck1").is_ok());
        assert!(check(Some("\"ck0\", W/\"ck1\""), "ck1").is_ok());
        assert!(check(Some("*"), "ck1").is_ok());
        let e = check(Some("W/\"ck0\""), "ck1").unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.code),
            (412, "ErrorIrresolvableConflict")
        );
    }
}
