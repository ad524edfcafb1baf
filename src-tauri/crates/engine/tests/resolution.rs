//! The permission shown for one calendar, from the owner's record and what Exchange shows:
//! published only while Exchange agrees, otherwise the lowest level Exchange proves.

mod common;

use common::{at, full, sample, titles};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::DetailProbe;
use onbehalf_engine::resolve::{infer, resolve, Observed, ProbeOutcome, Published};
use onbehalf_engine::view::PermissionSource;
use rstest::rstest;

fn outcome(d: DetailProbe) -> ProbeOutcome {
    match d {
        DetailProbe::Refused => ProbeOutcome::Refused,
        DetailProbe::Samples(s) => ProbeOutcome::Samples(s),
    }
}

fn observed(edit: bool, private: bool, detail: DetailProbe) -> Observed {
    Observed {
        can_edit: edit,
        can_view_private: private,
        detail: outcome(detail),
    }
}

#[rstest]
// (private, edit, what the items showed) → the lowest level consistent with it
#[case(true, true, full(&[]), "Author + can see private items", "custom")]
#[case(false, true, full(&[]), "Author", "custom")]
#[case(true, false, full(&[]), "Reviewer + can see private items", "read")]
#[case(false, false, full(&[]), "Reviewer", "read")]
#[case(
    false,
    false,
    titles(),
    "Free/Busy time, subject, location",
    "limitedRead"
)]
#[case(false, false, DetailProbe::Refused, "Free/Busy time", "freeBusyRead")]
// No items to judge by: only free/busy is proven.
#[case(false, false, DetailProbe::Samples(vec![]), "Free/Busy time", "freeBusyRead")]
// Items without bodies or subjects prove nothing beyond free/busy either.
#[case(false, false, DetailProbe::Samples(vec![sample(None, false, false)]), "Free/Busy time", "freeBusyRead")]
fn inference_never_claims_more_than_exchange_shows(
    #[case] private: bool,
    #[case] edit: bool,
    #[case] detail: DetailProbe,
    #[case] outlook: &str,
    #[case] graph: &str,
) {
    let p = infer(&observed(edit, private, detail));
    assert_eq!(p.outlook, outlook);
    assert_eq!(p.graph, graph);
    assert_eq!(p.source, PermissionSource::Inferred);
    assert!(p.may_be.is_some(), "an inferred level says what it may be");
    assert!(!p.rights.send_on_behalf, "send on behalf is never inferred");
}

#[rstest]
#[case(GraphRole::Read, false, false, full(&[]), PermissionSource::Published)]
#[case(
    GraphRole::LimitedRead,
    false,
    false,
    titles(),
    PermissionSource::Published
)]
#[case(
    GraphRole::FreeBusyRead,
    false,
    false,
    DetailProbe::Refused,
    PermissionSource::Published
)]
#[case(GraphRole::Write, true, false, full(&[]), PermissionSource::Published)]
#[case(GraphRole::DelegateWithoutPrivateEventAccess, true, false, full(&[]), PermissionSource::Published)]
#[case(GraphRole::DelegateWithPrivateEventAccess, true, true, full(&[]), PermissionSource::Published)]
#[case(GraphRole::Custom, true, false, full(&[]), PermissionSource::Published)]
#[case(GraphRole::Custom, false, false, full(&[]), PermissionSource::Published)]
#[case(
    GraphRole::Custom,
    false,
    false,
    DetailProbe::Refused,
    PermissionSource::Published
)]
// An old-style delegate: the record says Reviewer, the calendar shows private access.
#[case(GraphRole::Read, false, true, full(&[]), PermissionSource::Published)]
#[case(
    GraphRole::Read,
    false,
    false,
    DetailProbe::Refused,
    PermissionSource::Inferred
)]
#[case(GraphRole::LimitedRead, false, false, full(&[]), PermissionSource::Inferred)]
#[case(GraphRole::Write, false, false, full(&[]), PermissionSource::Inferred)]
#[case(GraphRole::DelegateWithoutPrivateEventAccess, true, true, full(&[]), PermissionSource::Inferred)]
#[case(GraphRole::DelegateWithPrivateEventAccess, true, false, full(&[]), PermissionSource::Inferred)]
fn a_published_role_is_used_only_while_exchange_agrees(
    #[case] role: GraphRole,
    #[case] edit: bool,
    #[case] private: bool,
    #[case] detail: DetailProbe,
    #[case] source: PermissionSource,
) {
    let published = Published::Grant {
        role,
        send_on_behalf: false,
        published_at: at(20),
        from_organization: false,
    };
    let shown = resolve(&published, &observed(edit, private, detail), None, at(24));
    assert_eq!(shown.source, source, "{shown:?}");
    assert_eq!(shown.checked_at, Some(at(24)));
    if source == PermissionSource::Published {
        assert_eq!(shown.graph, role.as_str());
        assert_eq!(shown.published_at, Some(at(20)));
    }
}

#[test]
fn an_unknown_look_with_edit_access_proves_author_and_no_more() {
    let o = Observed {
        can_edit: true,
        can_view_private: false,
        detail: ProbeOutcome::Unknown("timed out".into()),
    };
    let shown = resolve(&Published::Nothing("no record".into()), &o, None, at(24));
    assert_eq!(shown.source, PermissionSource::Unknown);
    assert_eq!(shown.outlook, "Author");
    assert!(shown.note.unwrap().contains("timed out"));
}
