//! Hand-written models of the Salesforce records and answers Onbehalf uses. Field names are
//! Salesforce's; only the fields read are declared, and unknown ones are ignored.

mod datetime;
mod describe;
mod event;
mod org;
mod records;
mod results;

pub use describe::{FieldDescribe, ObjectDescribe};
pub use event::{EventFields, EventRecord, EVENT_FIELDS, EXTERNAL_ID_FIELD};
pub use org::{ApiVersionInfo, Identity, Limit, Limits};
pub use records::{
    AccountRecord, CaseRecord, ContactRecord, LeadRecord, LinkRecord, OpportunityRecord,
    ParentName, SObject, UserRecord,
};
pub use results::{
    CompositeSubresponse, DeletedRecord, DeletedRecords, RecordAccess, SaveResult, UpdatedRecords,
};

pub(crate) use datetime::format as format_datetime;
