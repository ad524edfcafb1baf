//! The permission sets an administrator assigned to a user, which stand for the CRM-side
//! profiles an admin hands out.
//!
//! As the Object Reference describes them: `PermissionSetAssignment` ties a user
//! (`AssigneeId`, relationship `Assignee`) to a `PermissionSet` (`PermissionSetId`,
//! relationship `PermissionSet`); every profile owns a permission set too
//! (`PermissionSet.IsOwnedByProfile`), assigned to each user of the profile, which is left out
//! here. A query answers a related field nested under the relationship's name:
//! `{"PermissionSet": {"attributes": {...}, "Name": "..."}}`. Since Summer '20 only users with
//! "View Setup and Configuration", "Assign Permission Sets" or "Manage Users" may query the
//! object.

use serde::Deserialize;

use crate::client::SalesforceError;
use crate::models::ParentName;
use crate::soql::quote;
use crate::SalesforceClient;

/// One assignment, with its permission set's API name.
#[derive(Debug, Deserialize)]
struct Assignment {
    #[serde(rename = "PermissionSet", default)]
    permission_set: Option<ParentName>,
}

/// The API names of the permission sets assigned to `user_id` (an id already checked to be
/// one), profile-owned ones left out, sorted, each once.
pub(crate) async fn assigned(
    client: &SalesforceClient,
    user_id: &str,
) -> Result<Vec<String>, SalesforceError> {
    let soql = format!(
        "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = {} \
         AND PermissionSet.IsOwnedByProfile = false",
        quote(user_id)
    );
    let rows: Vec<Assignment> = client.query(soql).all().await?;
    let mut names: Vec<String> = rows
        .into_iter()
        .filter_map(|r| r.permission_set.and_then(|p| p.name))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}
