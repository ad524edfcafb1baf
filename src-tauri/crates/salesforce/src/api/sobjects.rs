//! Single records: `/sobjects/{type}` and `/sobjects/{type}/{id}`; the object's shape:
//! `/sobjects/{type}/describe`.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::to_body;
use crate::client::{DataPath, Request, SalesforceError};
use crate::models::{ObjectDescribe, SObject};
use crate::SalesforceClient;

pub struct SObjectApi<'a> {
    client: &'a SalesforceClient,
    sobject: SObject,
}

impl<'a> SObjectApi<'a> {
    pub(crate) fn new(client: &'a SalesforceClient, sobject: SObject) -> Self {
        SObjectApi { client, sobject }
    }

    fn path(&self) -> DataPath {
        DataPath::new().lit("sobjects").lit(self.sobject.api_name())
    }

    /// `POST /sobjects/{type}`
    pub fn create<B: Serialize + ?Sized>(&self, fields: &B) -> CreateRecord<'a> {
        CreateRecord {
            client: self.client,
            path: self.path(),
            body: to_body(CreateRecord::OPERATION, fields),
        }
    }

    /// `GET /sobjects/{type}/{id}`
    pub fn get(&self, id: &str) -> GetRecord<'a> {
        GetRecord {
            client: self.client,
            path: self.path().value(id),
            fields: Vec::new(),
        }
    }

    /// `PATCH /sobjects/{type}/{id}` with the fields to change.
    pub fn update<B: Serialize + ?Sized>(&self, id: &str, fields: &B) -> UpdateRecord<'a> {
        UpdateRecord {
            client: self.client,
            path: self.path().value(id),
            body: to_body(UpdateRecord::OPERATION, fields),
        }
    }

    /// `DELETE /sobjects/{type}/{id}`
    pub fn delete(&self, id: &str) -> DeleteRecord<'a> {
        DeleteRecord {
            client: self.client,
            path: self.path().value(id),
        }
    }

    /// `GET /sobjects/{type}/describe`: the object's fields as this org has them.
    pub fn describe(&self) -> DescribeObject<'a> {
        DescribeObject {
            client: self.client,
            path: self.path().lit("describe"),
        }
    }
}

pub struct DescribeObject<'a> {
    client: &'a SalesforceClient,
    path: DataPath,
}

impl DescribeObject<'_> {
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<ObjectDescribe, SalesforceError> {
        let req = Request::data("describe an object", Method::GET, self.path);
        self.client.send_json(&req).await
    }
}

pub struct CreateRecord<'a> {
    client: &'a SalesforceClient,
    path: DataPath,
    body: Result<Value, SalesforceError>,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

impl CreateRecord<'_> {
    const OPERATION: &'static str = "create a record";

    /// The new record's id.
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<String, SalesforceError> {
        let req = Request::data(Self::OPERATION, Method::POST, self.path).body(self.body?);
        let created: Created = self.client.send_json(&req).await?;
        Ok(created.id)
    }
}

pub struct GetRecord<'a> {
    client: &'a SalesforceClient,
    path: DataPath,
    fields: Vec<String>,
}

impl GetRecord<'_> {
    /// Only these fields (`?fields=`); all readable ones otherwise.
    pub fn fields(mut self, fields: &[&str]) -> Self {
        self.fields = fields.iter().map(|f| f.to_string()).collect();
        self
    }

    #[tracing::instrument(skip_all, err)]
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, SalesforceError> {
        let mut req = Request::data("read a record", Method::GET, self.path);
        if !self.fields.is_empty() {
            req = req.query("fields", self.fields.join(","));
        }
        self.client.send_json(&req).await
    }
}

pub struct UpdateRecord<'a> {
    client: &'a SalesforceClient,
    path: DataPath,
    body: Result<Value, SalesforceError>,
}

impl UpdateRecord<'_> {
    const OPERATION: &'static str = "update a record";

    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<(), SalesforceError> {
        let req = Request::data(Self::OPERATION, Method::PATCH, self.path).body(self.body?);
        self.client.send_empty(&req).await
    }
}

pub struct DeleteRecord<'a> {
    client: &'a SalesforceClient,
    path: DataPath,
}

impl DeleteRecord<'_> {
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<(), SalesforceError> {
        let req = Request::data("delete a record", Method::DELETE, self.path);
        self.client.send_empty(&req).await
    }
}
