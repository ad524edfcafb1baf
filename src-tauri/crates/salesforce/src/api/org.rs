//! The org and the signed-in user: versions, limits, identity.

use reqwest::Method;

use crate::client::{DataPath, Request, SalesforceError, Target};
use crate::models::{ApiVersionInfo, Identity, Limits};
use crate::SalesforceClient;

pub struct GetVersions<'a> {
    client: &'a SalesforceClient,
}

impl<'a> GetVersions<'a> {
    pub(crate) fn new(client: &'a SalesforceClient) -> Self {
        GetVersions { client }
    }

    /// Every version the org serves, oldest first.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Vec<ApiVersionInfo>, SalesforceError> {
        let req = Request::new(
            "list the API versions of the org",
            Method::GET,
            Target::Versions,
        );
        self.client.send_json(&req).await
    }
}

pub struct GetLimits<'a> {
    client: &'a SalesforceClient,
}

impl<'a> GetLimits<'a> {
    pub(crate) fn new(client: &'a SalesforceClient) -> Self {
        GetLimits { client }
    }

    /// Every limit of the org (needs "View Setup and Configuration").
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Limits, SalesforceError> {
        let req = Request::data(
            "read the org's API limits",
            Method::GET,
            DataPath::new().lit("limits"),
        );
        self.client.send_json(&req).await
    }
}

pub struct GetIdentity<'a> {
    client: &'a SalesforceClient,
}

impl<'a> GetIdentity<'a> {
    pub(crate) fn new(client: &'a SalesforceClient) -> Self {
        GetIdentity { client }
    }

    /// Who is signed in, in which org.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<Identity, SalesforceError> {
        let req = Request::new("find out who is signed in", Method::GET, Target::Identity);
        self.client.send_json(&req).await
    }
}
