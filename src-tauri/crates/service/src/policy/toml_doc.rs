//! A TOML policy document: `/etc/onbehalf/policy.toml`, or the `[policy]` table of the user's
//! configuration file.

use onbehalf_engine::policy::Raw;

/// Parse TOML text into a policy document.
pub(crate) fn parse(text: &str) -> Result<Raw, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(from_table(&table))
}

pub(crate) fn from_table(table: &toml::Table) -> Raw {
    Raw::table(table.iter().map(|(k, v)| (k.as_str(), from_value(v))))
}

fn from_value(v: &toml::Value) -> Raw {
    match v {
        toml::Value::Boolean(b) => Raw::Bool(*b),
        toml::Value::Integer(i) => Raw::Int(*i),
        toml::Value::String(s) => Raw::Text(s.clone()),
        toml::Value::Array(a) => Raw::List(a.iter().map(from_value).collect()),
        toml::Value::Table(t) => from_table(t),
        // Neither is a setting's kind: as text, the setting's reader says what it expected.
        toml::Value::Float(f) => Raw::Text(f.to_string()),
        toml::Value::Datetime(d) => Raw::Text(d.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_file_reads_into_tables_lists_and_values() {
        let doc = parse(
            "allow_private_sync = false\nsync_interval_minutes = 15\n\
             [recommended]\ninsta_sync = true\n\
             [[assign]]\nprofile = \"assistants\"\ngroups = [\"Executive Assistants\"]\n",
        )
        .unwrap();
        let Raw::Table(t) = doc else { panic!() };
        assert_eq!(t["allow_private_sync"], Raw::Bool(false));
        assert_eq!(t["sync_interval_minutes"], Raw::Int(15));
        assert!(matches!(&t["recommended"], Raw::Table(r) if r["insta_sync"] == Raw::Bool(true)));
        assert!(matches!(&t["assign"], Raw::List(l) if l.len() == 1));
    }

    #[test]
    fn a_broken_file_says_where() {
        let err = parse("allow_private_sync = \n").unwrap_err();
        assert!(!err.is_empty());
    }
}
