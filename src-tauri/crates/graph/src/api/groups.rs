//! The groups a user belongs to: `memberOf` (direct) and `transitiveMemberOf` (direct and
//! through nested groups), cast to `microsoft.graph.group` so directory roles and
//! administrative units are left out.
//!
//! As Graph documents them (user-list-memberof, user-list-transitivememberof,
//! aad-advanced-queries): the signed-in user's own memberships need `User.Read` (another
//! user's `User.Read.All`); the OData cast is an advanced query, so the request carries
//! `ConsistencyLevel: eventual` and `$count=true`; pages hold up to 999 objects, the rest
//! behind `@odata.nextLink`. With `User.Read` alone Graph lists each group by id only (its
//! name and address need a permission that reads groups, such as `GroupMember.Read.All`).

use reqwest::Method;

use super::Mailbox;
use crate::client::Pager;
use crate::models::DirectoryGroup;
use crate::GraphClient;

/// The largest page Graph gives of a membership list.
pub const MAX_GROUP_PAGE: u32 = 999;

/// The group properties read.
const GROUP_SELECT: &str = "id,displayName,mail";

/// The memberships of one user.
pub struct MembershipsApi<'a> {
    client: &'a GraphClient,
    mailbox: Mailbox,
}

impl<'a> MembershipsApi<'a> {
    pub(crate) fn new(client: &'a GraphClient, mailbox: Mailbox) -> Self {
        MembershipsApi { client, mailbox }
    }

    /// `GET {user}/transitiveMemberOf/microsoft.graph.group`: every group the user is in,
    /// directly or through nested groups, `page` (1..=999) to a page.
    pub fn transitive_groups(&self, page: u32) -> Pager<DirectoryGroup> {
        self.groups("transitiveMemberOf", "read your groups", page)
    }

    /// `GET {user}/memberOf/microsoft.graph.group`: the groups the user is a direct member of.
    pub fn direct_groups(&self, page: u32) -> Pager<DirectoryGroup> {
        self.groups("memberOf", "read your direct groups", page)
    }

    fn groups(
        &self,
        relationship: &'static str,
        operation: &'static str,
        page: u32,
    ) -> Pager<DirectoryGroup> {
        let path = self
            .mailbox
            .path()
            .lit(relationship)
            .lit("microsoft.graph.group");
        let query = [
            ("$select", GROUP_SELECT.to_string()),
            ("$top", page.clamp(1, MAX_GROUP_PAGE).to_string()),
            ("$count", "true".to_string()),
        ];
        let req = self
            .client
            .request(operation, Method::GET, &path, &query)
            .with_header("ConsistencyLevel", "eventual");
        Pager::new(self.client.clone(), req)
    }
}
