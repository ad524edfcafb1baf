//! The shape of the objects the emulator serves: each object's name, key prefix and fields with
//! their type, length and properties, as `describe` reports them. Writes are validated against
//! it, SOQL resolves fields and relationships through it. The tables themselves are in
//! `objects`.
//!
//! Fields are only ever looked up through an org's [`Schema`], so that a field of Onbehalf's
//! CRM package is absent everywhere in an org that lacks the package.

use serde::{Deserialize, Serialize};

use super::objects;

/// The objects served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum SObject {
    Account,
    Contact,
    Lead,
    Opportunity,
    Case,
    Event,
    User,
    UserRole,
    Organization,
    PermissionSet,
    PermissionSetAssignment,
}

impl SObject {
    pub const ALL: [SObject; 11] = [
        SObject::Account,
        SObject::Contact,
        SObject::Lead,
        SObject::Opportunity,
        SObject::Case,
        SObject::Event,
        SObject::User,
        SObject::UserRole,
        SObject::Organization,
        SObject::PermissionSet,
        SObject::PermissionSetAssignment,
    ];

    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn prefix(self) -> &'static str {
        self.def().prefix
    }

    pub fn def(self) -> &'static ObjectDef {
        match self {
            SObject::Account => &objects::ACCOUNT,
            SObject::Contact => &objects::CONTACT,
            SObject::Lead => &objects::LEAD,
            SObject::Opportunity => &objects::OPPORTUNITY,
            SObject::Case => &objects::CASE,
            SObject::Event => &objects::EVENT,
            SObject::User => &objects::USER,
            SObject::UserRole => &objects::USER_ROLE,
            SObject::Organization => &objects::ORGANIZATION,
            SObject::PermissionSet => &objects::PERMISSION_SET,
            SObject::PermissionSetAssignment => &objects::PERMISSION_SET_ASSIGNMENT,
        }
    }

    /// The object an API name names (case-insensitive, as Salesforce matches them).
    pub fn parse(name: &str) -> Option<SObject> {
        SObject::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(name))
    }

    /// The object an id belongs to, from its key prefix.
    pub fn of_id(id: &str) -> Option<SObject> {
        let prefix = super::ids::prefix(id);
        SObject::ALL.into_iter().find(|o| o.prefix() == prefix)
    }
}

/// A field's data type.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Id,
    Text(usize),
    TextArea(usize),
    Email,
    Phone,
    Url,
    Boolean,
    DateTime,
    Date,
    Int,
    Currency,
    Percent,
    Picklist(&'static [&'static str]),
    /// A text field offering suggested values (Event `Subject`).
    Combobox(&'static [&'static str]),
    Reference(&'static [SObject]),
}

impl Kind {
    /// `describe`'s `type`.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Id => "id",
            Kind::Text(_) => "string",
            Kind::TextArea(_) => "textarea",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Url => "url",
            Kind::Boolean => "boolean",
            Kind::DateTime => "datetime",
            Kind::Date => "date",
            Kind::Int => "int",
            Kind::Currency => "currency",
            Kind::Percent => "percent",
            Kind::Picklist(_) => "picklist",
            Kind::Combobox(_) => "combobox",
            Kind::Reference(_) => "reference",
        }
    }

    pub fn soap_type(self) -> &'static str {
        match self {
            Kind::Id | Kind::Reference(_) => "tns:ID",
            Kind::Boolean => "xsd:boolean",
            Kind::DateTime => "xsd:dateTime",
            Kind::Date => "xsd:date",
            Kind::Int => "xsd:int",
            Kind::Currency | Kind::Percent => "xsd:double",
            Kind::Text(_)
            | Kind::TextArea(_)
            | Kind::Email
            | Kind::Phone
            | Kind::Url
            | Kind::Picklist(_)
            | Kind::Combobox(_) => "xsd:string",
        }
    }

    /// The maximum length of a text value; 0 for other kinds.
    pub fn length(self) -> usize {
        match self {
            Kind::Id | Kind::Reference(_) => 18,
            Kind::Text(n) | Kind::TextArea(n) => n,
            Kind::Email => 80,
            Kind::Phone => 40,
            Kind::Url | Kind::Picklist(_) | Kind::Combobox(_) => 255,
            Kind::Boolean
            | Kind::DateTime
            | Kind::Date
            | Kind::Int
            | Kind::Currency
            | Kind::Percent => 0,
        }
    }

    /// Whether the value is text that SOSL searches in `ALL FIELDS`.
    pub fn is_searchable_text(self) -> bool {
        matches!(
            self,
            Kind::Text(_) | Kind::TextArea(_) | Kind::Email | Kind::Phone | Kind::Combobox(_)
        )
    }
}

/// What a default value is when a field is not given on create.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Initial {
    Text(&'static str),
    Flag(bool),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldDef {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub create: bool,
    pub update: bool,
    pub nillable: bool,
    /// Must be given on create (not nillable and not defaulted).
    pub required: bool,
    pub default: Option<Initial>,
    pub relationship: Option<&'static str>,
    pub external_id: bool,
    pub unique: bool,
    pub case_sensitive: bool,
    pub custom: bool,
    pub name_field: bool,
    /// A restricted picklist refuses values outside its list.
    pub restricted: bool,
    /// Comes with Onbehalf's CRM package, so only an org that has it installed has the field.
    pub package: bool,
}

/// A writable, nillable field of `kind`; the builders below narrow it.
pub(crate) const fn field(name: &'static str, label: &'static str, kind: Kind) -> FieldDef {
    FieldDef {
        name,
        label,
        kind,
        create: true,
        update: true,
        nillable: true,
        required: false,
        default: None,
        relationship: None,
        external_id: false,
        unique: false,
        case_sensitive: false,
        custom: false,
        name_field: false,
        restricted: false,
        package: false,
    }
}

impl FieldDef {
    pub const fn read_only(self) -> FieldDef {
        FieldDef {
            create: false,
            update: false,
            ..self
        }
    }

    pub const fn required(self) -> FieldDef {
        FieldDef {
            nillable: false,
            required: true,
            ..self
        }
    }

    pub const fn defaulted(self, value: Initial) -> FieldDef {
        FieldDef {
            nillable: false,
            default: Some(value),
            ..self
        }
    }

    pub const fn related(self, relationship: &'static str) -> FieldDef {
        FieldDef {
            relationship: Some(relationship),
            ..self
        }
    }

    pub const fn name_field(self) -> FieldDef {
        FieldDef {
            name_field: true,
            ..self
        }
    }

    pub const fn restricted(self) -> FieldDef {
        FieldDef {
            restricted: true,
            ..self
        }
    }

    /// A unique, case-sensitive external id from a managed package.
    pub const fn package_external_id(self) -> FieldDef {
        FieldDef {
            external_id: true,
            unique: true,
            case_sensitive: true,
            custom: true,
            package: true,
            ..self
        }
    }

    /// The objects a reference points at; empty for other kinds.
    pub fn targets(&self) -> &'static [SObject] {
        match self.kind {
            Kind::Reference(t) => t,
            _ => &[],
        }
    }

    /// Whether this relationship can point at more than one object (SOQL then sees it as
    /// the `Name` object).
    pub fn is_polymorphic(&self) -> bool {
        self.targets().len() > 1 || (self.name == "OwnerId" && self.relationship == Some("Owner"))
    }

    /// Long text areas cannot be filtered or sorted in SOQL.
    pub fn filterable(&self) -> bool {
        !matches!(self.kind, Kind::TextArea(n) if n > 255)
    }
}

pub(crate) struct ObjectDef {
    pub name: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    pub prefix: &'static str,
    pub fields: &'static [FieldDef],
    /// Whether demo users may create, update and delete records of it.
    pub writable: bool,
    /// The system fields it has (most objects have every one of [`objects::SYSTEM`]).
    pub system: &'static [FieldDef],
}

/// Which fields one org's objects have: the standard ones, and the package's where it is
/// installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Schema {
    /// Onbehalf's CRM package is installed: Event has `Onbehalf_Exchange_Id__c`.
    pub package: bool,
}

impl Schema {
    /// `object` as this org has it.
    pub fn object(self, object: SObject) -> ObjectView {
        ObjectView {
            object,
            schema: self,
        }
    }
}

/// An object with the fields one org has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ObjectView {
    pub object: SObject,
    pub schema: Schema,
}

impl ObjectView {
    pub fn def(self) -> &'static ObjectDef {
        self.object.def()
    }

    pub fn name(self) -> &'static str {
        self.object.name()
    }

    /// Every field: the object's own, then its system fields.
    pub fn all_fields(self) -> impl Iterator<Item = &'static FieldDef> {
        let package = self.schema.package;
        self.def()
            .fields
            .iter()
            .chain(self.def().system.iter())
            .filter(move |f| package || !f.package)
    }

    /// A field by API name, case-insensitive.
    pub fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.all_fields()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// A reference field by its relationship name (`Account`, `Who`, `Owner`), case-insensitive.
    pub fn relationship(self, name: &str) -> Option<&'static FieldDef> {
        self.all_fields()
            .find(|f| f.relationship.is_some_and(|r| r.eq_ignore_ascii_case(name)))
    }

    /// The field holding the record's name.
    pub fn name_field(self) -> Option<&'static FieldDef> {
        self.all_fields().find(|f| f.name_field)
    }
}

/// The fields a polymorphic relationship (`Who`, `What`, `Owner`) exposes: the `Name` object's.
pub(crate) const POLYMORPHIC_FIELDS: &[&str] = &[
    "Id",
    "Name",
    "Type",
    "Email",
    "FirstName",
    "LastName",
    "Phone",
    "Title",
    "Username",
];
