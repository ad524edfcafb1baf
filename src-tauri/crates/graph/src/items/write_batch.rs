//! Many marks at once: each a `PATCH` with `If-Match` in a `$batch`, twenty to a round trip.
//! A member's refusal (412 for a newer version, 403, 404) is that write's result; the others
//! are made.

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::port::MarkWrite;
use reqwest::Method;

use super::bodies::marks_body;
use super::query::{mailbox, PREFER};
use super::writes::no_version;
use super::GraphItems;
use crate::client::BatchRequest;
use crate::models::Event;
use crate::source_error;

impl GraphItems {
    #[tracing::instrument(skip_all, fields(writes = writes.len()), err)]
    pub(super) async fn patch_marks_batch(
        &self,
        writes: &[MarkWrite],
    ) -> Result<Vec<Result<String, SourceError>>, SourceError> {
        // Writes that change nothing need no request: the item keeps its version.
        let mut results: Vec<Option<Result<String, SourceError>>> = vec![None; writes.len()];
        let mut requests = Vec::new();
        let mut sent = Vec::new();
        for (i, w) in writes.iter().enumerate() {
            match marks_body(&w.marks) {
                Err(e) => results[i] = Some(Err(e)),
                Ok(None) => results[i] = Some(Ok(w.version.clone())),
                Ok(Some(body)) => {
                    let path = mailbox(&w.key.owner, &self.me).lit("events").id(&w.key.id);
                    let mut r = BatchRequest::new(i.to_string(), Method::PATCH, &path, &[]);
                    r.headers
                        .insert("If-Match".to_string(), format!("W/\"{}\"", w.version));
                    r.headers.insert("Prefer".to_string(), PREFER.to_string());
                    r.headers
                        .insert("Content-Type".to_string(), "application/json".to_string());
                    r.body = Some(body);
                    requests.push(r);
                    sent.push(i);
                }
            }
        }
        if !requests.is_empty() {
            let answers = self.client.batch(requests).await.map_err(source_error)?;
            for (i, answer) in sent.into_iter().zip(answers) {
                let id = &writes[i].key.id;
                results[i] = Some(
                    answer
                        .json::<Event>("mark an item")
                        .map_err(source_error)
                        .and_then(|e| {
                            e.version()
                                .map(str::to_string)
                                .ok_or_else(|| no_version(id))
                        }),
                );
            }
        }
        Ok(results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(SourceError::Transient {
                        message: "Microsoft Graph did not answer one write of a batch".to_string(),
                    })
                })
            })
            .collect())
    }
}
