//! A poll of the user's own calendar and the owners' calendars in one `$batch`: the own
//! calendar's delta round resumed at its cursor, and each owner's versions (ids and change
//! keys). With nothing new anywhere, one round trip; a round or a view longer than a page
//! continues by its next link.

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::port::{Poll, Window};

use super::GraphItems;
use crate::source_error;

/// The id of the own calendar's member (owners' members are their indices).
const OWN: &str = "own";

impl GraphItems {
    #[tracing::instrument(skip_all, fields(owners = owners.len(), own = own.is_some()), err)]
    pub(super) async fn poll_all(
        &self,
        own: Option<&str>,
        owners: &[String],
        window: Window,
    ) -> Result<Poll, SourceError> {
        let mut members = self.version_members(owners, window);
        if let Some(cursor) = own {
            members.insert(0, self.delta_member(OWN, cursor)?);
        }
        if members.is_empty() {
            return Ok(Poll {
                own: None,
                owners: Vec::new(),
            });
        }
        let mut answers = self.client.batch(members).await.map_err(source_error)?;
        let own = match own {
            Some(cursor) if !answers.is_empty() => {
                let first = answers.remove(0);
                Some(self.changes_from(window, cursor, &first).await)
            }
            _ => None,
        };
        let owners = self.versions_from(owners, &answers).await?;
        Ok(Poll { own, owners })
    }
}
