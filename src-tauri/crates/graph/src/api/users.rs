//! `/me` and `/users/{id}`.

use reqwest::Method;

use super::Mailbox;
use crate::models::User;
use crate::{GraphClient, GraphError};

pub struct UsersApi<'a> {
    client: &'a GraphClient,
}

impl<'a> UsersApi<'a> {
    pub(crate) fn new(client: &'a GraphClient) -> Self {
        UsersApi { client }
    }

    /// `GET /me`
    pub async fn me(&self) -> Result<User, GraphError> {
        let req = self
            .client
            .request("read your profile", Method::GET, &Mailbox::Me.path(), &[]);
        self.client.send_json(&req).await
    }

    /// `GET /users/{id or userPrincipalName}`
    pub async fn get(&self, user: &str) -> Result<User, GraphError> {
        let path = Mailbox::User(user.to_string()).path();
        let req = self
            .client
            .request("read a user's profile", Method::GET, &path, &[]);
        self.client.send_json(&req).await
    }
}
