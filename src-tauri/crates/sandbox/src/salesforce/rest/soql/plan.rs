//! A parsed query resolved against the object: each field path checked (unknown columns are
//! `INVALID_FIELD`, long text areas cannot be filtered or sorted), relationships followed
//! (`Account.Name`, the polymorphic `Who`/`What`/`Owner` with the `Name` object's fields,
//! and `UserRecordAccess.*` for the running user), and each filter value typed for its field
//! (a date in quotes is `MALFORMED_QUERY`, as in Salesforce) with date literals turned into
//! ranges in the running user's time zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::parser::{Cond, Literal, Op, Path, Query, Select, Value};
use super::SoqlError;
use crate::salesforce::ids;
use crate::salesforce::schema::{FieldDef, Kind, ObjectView, POLYMORPHIC_FIELDS};
use crate::salesforce::values::{parse_date, parse_datetime};

/// The `UserRecordAccess` fields, readable through a record for the running user.
pub(crate) const RECORD_ACCESS_FIELDS: &[&str] = &[
    "RecordId",
    "HasReadAccess",
    "HasEditAccess",
    "HasDeleteAccess",
    "HasTransferAccess",
    "HasAllAccess",
    "MaxAccessLevel",
];

/// What a path finally reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    Field(&'static FieldDef),
    /// A field of the `Name` object behind a polymorphic relationship.
    Polymorphic(&'static str),
    /// A `UserRecordAccess` field for the running user.
    RecordAccess(&'static str),
}

/// A resolved field path.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// The reference fields followed, with the relationship names they answer under.
    pub hops: Vec<(&'static FieldDef, &'static str)>,
    /// The last hop was polymorphic.
    pub polymorphic: bool,
    pub target: Target,
}

impl Resolved {
    pub fn name(&self) -> &'static str {
        match self.target {
            Target::Field(f) => f.name,
            Target::Polymorphic(n) | Target::RecordAccess(n) => n,
        }
    }

    fn kind(&self) -> Kind {
        match self.target {
            Target::Field(f) => f.kind,
            Target::Polymorphic("Id") => Kind::Id,
            Target::Polymorphic(_) => Kind::Text(255),
            Target::RecordAccess("RecordId") => Kind::Id,
            Target::RecordAccess("MaxAccessLevel") => Kind::Text(40),
            Target::RecordAccess(_) => Kind::Boolean,
        }
    }

    pub fn case_sensitive(&self) -> bool {
        matches!(self.target, Target::Field(f) if f.case_sensitive)
    }

    fn filterable(&self) -> bool {
        match self.target {
            Target::Field(f) => f.filterable(),
            Target::Polymorphic(_) => true,
            Target::RecordAccess(_) => false,
        }
    }
}

/// A value typed for the field it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    Text(String),
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
    Time(DateTime<Utc>),
}

/// One test of a field.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// `= null` (true) or `!= null` (false).
    Null(bool),
    Compare(Op, Typed),
    /// A date literal: the half-open range it covers.
    Range(Op, Typed, Typed),
    In(bool, Vec<Typed>),
    Like(String),
}

#[derive(Debug, Clone)]
pub(crate) enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Test(Resolved, Test),
}

pub(crate) struct Plan {
    pub count: bool,
    pub selects: Vec<Resolved>,
    pub filter: Option<Filter>,
    pub order: Vec<(Resolved, bool, bool)>,
    pub limit: Option<usize>,
    pub offset: usize,
}

fn no_column(at: usize, name: &str, object: &str) -> SoqlError {
    SoqlError::invalid_field(
        at,
        format!("No such column '{name}' on entity '{object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."),
    )
}

fn no_relationship(at: usize, name: &str) -> SoqlError {
    SoqlError::invalid_field(
        at,
        format!("Didn't understand relationship '{name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."),
    )
}

/// Resolve a field path on `object`, through the fields its org has.
pub(crate) fn resolve(object: ObjectView, path: &Path) -> Result<Resolved, SoqlError> {
    let (last, rels) = path
        .parts
        .split_last()
        .ok_or_else(|| SoqlError::malformed(path.at, "unexpected token: <EOF>".to_string()))?;
    if let [first] = rels {
        if first.eq_ignore_ascii_case("UserRecordAccess") {
            let field = RECORD_ACCESS_FIELDS
                .iter()
                .find(|f| f.eq_ignore_ascii_case(last))
                .ok_or_else(|| no_column(path.at, last, "UserRecordAccess"))?;
            return Ok(Resolved {
                hops: Vec::new(),
                polymorphic: false,
                target: Target::RecordAccess(field),
            });
        }
    }
    let mut current = object;
    let mut hops = Vec::new();
    let mut polymorphic = false;
    for rel in rels {
        if polymorphic {
            return Err(no_relationship(path.at, rel));
        }
        let field = current
            .relationship(rel)
            .ok_or_else(|| no_relationship(path.at, rel))?;
        hops.push((field, field.relationship.unwrap_or_default()));
        if field.is_polymorphic() {
            polymorphic = true;
        } else if let Some(target) = field.targets().first() {
            current = object.schema.object(*target);
        }
    }
    let target = if polymorphic {
        POLYMORPHIC_FIELDS
            .iter()
            .find(|f| f.eq_ignore_ascii_case(last))
            .map(|f| Target::Polymorphic(f))
            .ok_or_else(|| no_column(path.at, last, "Name"))?
    } else {
        Target::Field(
            current
                .field(last)
                .ok_or_else(|| no_column(path.at, last, current.name()))?,
        )
    };
    Ok(Resolved {
        hops,
        polymorphic,
        target,
    })
}

fn type_error(at: usize, field: &str, kind: &str, quoted: bool) -> SoqlError {
    let hint = if quoted {
        "should be enclosed in quotes"
    } else {
        "should not be enclosed in quotes"
    };
    SoqlError::malformed(
        at,
        format!("value of filter criterion for field '{field}' must be of type {kind} and {hint}"),
    )
}

/// A literal typed for the field `resolved` reads.
fn typed(resolved: &Resolved, value: &Value) -> Result<Option<Typed>, SoqlError> {
    let field = resolved.name();
    let at = value.at;
    let kind = resolved.kind();
    let out = match (&value.literal, kind) {
        (Literal::Null, _) => return Ok(None),
        (Literal::Bool(b), Kind::Boolean) => Typed::Bool(*b),
        (_, Kind::Boolean) => return Err(type_error(at, field, "boolean", false)),
        (Literal::Bare(b), Kind::Date) => {
            Typed::Date(parse_date(b).ok_or_else(|| type_error(at, field, "date", false))?)
        }
        (_, Kind::Date) => return Err(type_error(at, field, "date", false)),
        (Literal::Bare(b), Kind::DateTime) => Typed::Time(
            b.contains('T')
                .then(|| parse_datetime(b))
                .flatten()
                .ok_or_else(|| type_error(at, field, "dateTime", false))?,
        ),
        (_, Kind::DateTime) => return Err(type_error(at, field, "dateTime", false)),
        (Literal::Bare(b), Kind::Int | Kind::Currency | Kind::Percent) => Typed::Num(
            b.parse()
                .map_err(|_| type_error(at, field, "number", false))?,
        ),
        (_, Kind::Int | Kind::Currency | Kind::Percent) => {
            return Err(type_error(at, field, "number", false))
        }
        (Literal::Str(s), Kind::Id | Kind::Reference(_)) => {
            Typed::Text(ids::normalize(s).ok_or_else(|| SoqlError {
                code: "INVALID_QUERY_FILTER_OPERATOR",
                at,
                message: format!("invalid ID field: {s}"),
            })?)
        }
        (Literal::Str(s), _) => Typed::Text(s.replace("\\%", "%").replace("\\_", "_")),
        (_, _) => return Err(type_error(at, field, "string", true)),
    };
    Ok(Some(out))
}

/// The days a date literal covers, `[first, end)`, in the running user's calendar.
///
/// Assumption: weeks start on Sunday, as in the demo users' `en_US` locale.
fn literal_days(name: &str, n: Option<i64>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let d = Duration::days;
    let n = n.unwrap_or(0);
    let week = today - d(i64::from(today.weekday().num_days_from_sunday()));
    let month = today.with_day(1).unwrap_or(today);
    let add_months = |date: NaiveDate, months: i32| {
        let total = date.year() * 12 + i32::try_from(date.month0()).unwrap_or(0) + months;
        NaiveDate::from_ymd_opt(
            total.div_euclid(12),
            u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1,
            1,
        )
        .unwrap_or(date)
    };
    let year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let year_of = |offset: i32| {
        let y = NaiveDate::from_ymd_opt(today.year() + offset, 1, 1).unwrap_or(year);
        (
            y,
            NaiveDate::from_ymd_opt(today.year() + offset + 1, 1, 1).unwrap_or(y),
        )
    };
    match name {
        "YESTERDAY" => (today - d(1), today),
        "TOMORROW" => (today + d(1), today + d(2)),
        "LAST_WEEK" => (week - d(7), week),
        "THIS_WEEK" => (week, week + d(7)),
        "NEXT_WEEK" => (week + d(7), week + d(14)),
        "LAST_MONTH" => (add_months(month, -1), month),
        "THIS_MONTH" => (month, add_months(month, 1)),
        "NEXT_MONTH" => (add_months(month, 1), add_months(month, 2)),
        "LAST_90_DAYS" => (today - d(90), today + d(1)),
        "NEXT_90_DAYS" => (today + d(1), today + d(91)),
        "THIS_YEAR" => year_of(0),
        "LAST_YEAR" => year_of(-1),
        "NEXT_YEAR" => year_of(1),
        "LAST_N_DAYS" => (today - d(n), today + d(1)),
        "NEXT_N_DAYS" => (today + d(1), today + d(1 + n)),
        "N_DAYS_AGO" => (today - d(n), today - d(n - 1)),
        "LAST_N_WEEKS" => (week - d(7 * n), week),
        "NEXT_N_WEEKS" => (week + d(7), week + d(7 + 7 * n)),
        _ => (today, today + d(1)),
    }
}

struct Compiler {
    object: ObjectView,
    zone: Tz,
    now: DateTime<Utc>,
}

impl Compiler {
    fn filterable(&self, path: &Path) -> Result<Resolved, SoqlError> {
        let resolved = resolve(self.object, path)?;
        if !resolved.filterable() {
            return Err(SoqlError::invalid_field(
                path.at,
                format!(
                    "field '{}' can not be filtered in a query call",
                    path.text()
                ),
            ));
        }
        Ok(resolved)
    }

    fn range(
        &self,
        resolved: &Resolved,
        value: &Value,
        name: &str,
        n: Option<i64>,
    ) -> Result<(Typed, Typed), SoqlError> {
        let today = self.now.with_timezone(&self.zone).date_naive();
        let (first, end) = literal_days(name, n, today);
        let midnight = |day: NaiveDate| {
            self.zone
                .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map_or_else(
                    || day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                    |t| t.with_timezone(&Utc),
                )
        };
        match resolved.kind() {
            Kind::Date => Ok((Typed::Date(first), Typed::Date(end))),
            Kind::DateTime => Ok((Typed::Time(midnight(first)), Typed::Time(midnight(end)))),
            _ => Err(type_error(
                value.at,
                resolved.name(),
                "date or dateTime",
                false,
            )),
        }
    }

    fn cond(&self, cond: &Cond) -> Result<Filter, SoqlError> {
        Ok(match cond {
            Cond::And(terms) => Filter::And(
                terms
                    .iter()
                    .map(|t| self.cond(t))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Or(terms) => Filter::Or(
                terms
                    .iter()
                    .map(|t| self.cond(t))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(inner) => Filter::Not(Box::new(self.cond(inner)?)),
            Cond::Compare { path, op, value } => {
                let resolved = self.filterable(path)?;
                let test = match &value.literal {
                    Literal::Relative(name, n) => {
                        let (first, end) = self.range(&resolved, value, name, *n)?;
                        Test::Range(*op, first, end)
                    }
                    _ => match (typed(&resolved, value)?, op) {
                        (None, Op::Eq) => Test::Null(true),
                        (None, Op::Ne) => Test::Null(false),
                        (None, _) => {
                            return Err(SoqlError::malformed(
                                value.at,
                                "null may only be compared with = or !=".to_string(),
                            ))
                        }
                        (Some(t), _) => Test::Compare(*op, t),
                    },
                };
                Filter::Test(resolved, test)
            }
            Cond::In {
                path,
                negated,
                values,
            } => {
                let resolved = self.filterable(path)?;
                let typed: Vec<Typed> = values
                    .iter()
                    .map(|v| typed(&resolved, v))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect();
                Filter::Test(resolved, Test::In(*negated, typed))
            }
            Cond::Like { path, pattern } => {
                let resolved = self.filterable(path)?;
                let Literal::Str(p) = &pattern.literal else {
                    return Err(type_error(pattern.at, resolved.name(), "string", true));
                };
                if !matches!(
                    resolved.kind(),
                    Kind::Text(_)
                        | Kind::Email
                        | Kind::Phone
                        | Kind::Url
                        | Kind::Picklist(_)
                        | Kind::Combobox(_)
                        | Kind::Id
                        | Kind::Reference(_)
                ) {
                    return Err(SoqlError::malformed(
                        pattern.at,
                        format!("invalid operator on {} field: LIKE", resolved.name()),
                    ));
                }
                Filter::Test(resolved, Test::Like(p.clone()))
            }
        })
    }
}

/// Resolve and type a parsed query for `object`; date literals are taken in `zone` at `now`.
pub(crate) fn compile(
    query: &Query,
    object: ObjectView,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Plan, SoqlError> {
    let compiler = Compiler { object, zone, now };
    let (count, selects) = match &query.select {
        Select::Count => (true, Vec::new()),
        Select::Fields(paths) => {
            let mut selects: Vec<Resolved> = Vec::new();
            for path in paths {
                let resolved = resolve(object, path)?;
                let text = path.text().to_ascii_lowercase();
                let seen = paths
                    .iter()
                    .take_while(|p| !std::ptr::eq(*p, path))
                    .any(|p| p.text().to_ascii_lowercase() == text);
                if seen {
                    return Err(SoqlError {
                        code: "DUPLICATE_FIELD",
                        at: path.at,
                        message: format!("duplicate field selected: {}", path.text()),
                    });
                }
                selects.push(resolved);
            }
            (false, selects)
        }
    };
    let filter = query
        .filter
        .as_ref()
        .map(|c| compiler.cond(c))
        .transpose()?;
    let order = query
        .order
        .iter()
        .map(|o| {
            let resolved = compiler.filterable(&o.path).map_err(|e| SoqlError {
                message: e.message.replace("filtered", "sorted"),
                ..e
            })?;
            Ok((resolved, o.descending, o.nulls_last))
        })
        .collect::<Result<Vec<_>, SoqlError>>()?;
    if query.offset.is_some_and(|o| o > 2000) {
        return Err(SoqlError {
            code: "NUMBER_OUTSIDE_VALID_RANGE",
            at: query.from_at,
            message: "Maximum SOQL offset allowed is 2000".to_string(),
        });
    }
    Ok(Plan {
        count,
        selects,
        filter,
        order,
        limit: query.limit,
        offset: query.offset.unwrap_or(0),
    })
}

/// Resolve and type a bare condition for `object`.
pub(crate) fn compile_condition(
    cond: &Cond,
    object: ObjectView,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Filter, SoqlError> {
    Compiler { object, zone, now }.cond(cond)
}
