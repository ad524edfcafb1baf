//! Group membership through nested groups, shared by the demo organisation and the directory
//! the emulator serves.

/// A group with direct members (users, by some key) and member groups (by id).
pub(crate) trait Nested {
    fn id(&self) -> &str;
    fn members(&self) -> &[String];
    fn member_groups(&self) -> &[String];
}

/// The groups `member` belongs to directly, or (`transitive`) directly or through groups nested
/// in them, in the order of `groups`.
pub(crate) fn groups_holding<'a, G: Nested>(
    groups: &'a [G],
    member: &str,
    transitive: bool,
) -> Vec<&'a G> {
    let mut found: Vec<&str> = groups
        .iter()
        .filter(|g| g.members().iter().any(|m| m.eq_ignore_ascii_case(member)))
        .map(Nested::id)
        .collect();
    if transitive {
        // Each round adds the groups holding one already found; nesting is at most as deep as
        // there are groups, and a cycle ends it too.
        for _ in 0..groups.len() {
            let holders: Vec<&str> = groups
                .iter()
                .filter(|g| !found.contains(&g.id()))
                .filter(|g| {
                    g.member_groups()
                        .iter()
                        .any(|m| found.contains(&m.as_str()))
                })
                .map(Nested::id)
                .collect();
            if holders.is_empty() {
                break;
            }
            found.extend(holders);
        }
    }
    groups.iter().filter(|g| found.contains(&g.id())).collect()
}
