//! JSON batching: many calls in one `POST /$batch`, at most [`MAX_BATCH`] per batch.

use std::collections::{BTreeMap, HashMap};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::error::{api_error, is_retryable_status};
use super::{
    decode, GraphClient, GraphError, GraphPath, RawResponse, Request, PREFER_IMMUTABLE_IDS,
};
use onbehalf_http::parse_retry_after;
use url::Url;

/// Graph's limit of requests in one batch.
pub const MAX_BATCH: usize = 20;

const OPERATION: &str = "send a batch of requests";

/// One member of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchRequest {
    /// Unique within the call; answers and `depends_on` refer to it.
    pub id: String,
    pub method: String,
    /// Relative to the Graph root, e.g. from [`GraphPath::relative`].
    pub url: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Members that must succeed first; Graph runs them in order and answers 424 when one
    /// failed. A member and everything it depends on always travel in the same batch.
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl BatchRequest {
    pub fn new(
        id: impl Into<String>,
        method: Method,
        path: &GraphPath,
        query: &[(&str, String)],
    ) -> Self {
        BatchRequest {
            id: id.into(),
            method: method.as_str().to_string(),
            url: path.relative(query),
            headers: BTreeMap::new(),
            body: None,
            depends_on: Vec::new(),
        }
    }

    /// A GET member for a link Graph gave earlier (a stored `@odata.deltaLink`): only a link
    /// below the client's Graph root is taken, since the member is sent there.
    pub fn from_link(
        id: impl Into<String>,
        client: &GraphClient,
        operation: &'static str,
        link: &str,
    ) -> Result<Self, GraphError> {
        let invalid = |detail: String| GraphError::Invalid { operation, detail };
        let url = Url::parse(link).map_err(|e| invalid(format!("the link is not a URL: {e}")))?;
        let root = client.graph_url();
        let base = root.path().trim_end_matches('/');
        let rest = url
            .path()
            .strip_prefix(base)
            .filter(|r| r.starts_with('/') && url.origin() == root.origin())
            .ok_or_else(|| invalid("the link is not below Microsoft Graph's root".to_string()))?;
        let relative = match url.query() {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_string(),
        };
        Ok(BatchRequest {
            id: id.into(),
            method: Method::GET.as_str().to_string(),
            url: relative,
            headers: BTreeMap::new(),
            body: None,
            depends_on: Vec::new(),
        })
    }

    /// Attach a JSON body (Graph requires its content type on the member).
    pub fn json_body(mut self, body: Value) -> Self {
        self.headers
            .insert("Content-Type".to_string(), "application/json".to_string());
        self.body = Some(body);
        self
    }

    pub fn depends_on(mut self, id: impl Into<String>) -> Self {
        self.depends_on.push(id.into());
        self
    }

    fn header(&self, name: &str) -> Option<&String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

/// The answer to one member.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BatchResponse {
    pub id: String,
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<Value>,
}

impl BatchResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The member's refusal, with Graph's error code, if it failed.
    pub fn error(&self, operation: &'static str) -> Option<GraphError> {
        if self.is_success() {
            return None;
        }
        let status = reqwest::StatusCode::from_u16(self.status)
            .unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
        let body = self
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(id) = self.header("request-id") {
            if let Ok(v) = reqwest::header::HeaderValue::from_str(id) {
                headers.insert("request-id", v);
            }
        }
        Some(api_error(operation, status, &headers, &body))
    }

    /// The member's body decoded, or its refusal.
    pub fn json<T: DeserializeOwned>(&self, operation: &'static str) -> Result<T, GraphError> {
        if let Some(e) = self.error(operation) {
            return Err(e);
        }
        let body = self.body.clone().unwrap_or(Value::Null);
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        decode(operation, &bytes)
    }

    fn header(&self, name: &str) -> Option<&String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

#[derive(Deserialize)]
struct BatchAnswer {
    #[serde(default)]
    responses: Vec<BatchResponse>,
}

impl GraphClient {
    /// Send `requests` in batches of at most [`MAX_BATCH`], keeping each `depends_on` group
    /// in one batch. Members Graph throttled (429, 503; 504 for reads) are retried one by one
    /// after their `Retry-After`, followed by the members that failed only because they
    /// depended on one of them. Answers come back in the order of `requests`.
    #[tracing::instrument(skip_all, fields(members = requests.len()), err)]
    pub async fn batch(
        &self,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<BatchResponse>, GraphError> {
        let requests: Vec<BatchRequest> = requests.into_iter().map(with_default_headers).collect();
        let chunks = chunk(&requests)?;
        let mut answers: HashMap<String, BatchResponse> = HashMap::new();
        for indices in chunks {
            let members: Vec<&BatchRequest> = indices.iter().map(|&i| &requests[i]).collect();
            let path = GraphPath::new().lit("$batch");
            let req = self
                .request(OPERATION, Method::POST, &path, &[])
                .with_body(json!({ "requests": members }));
            let answer: BatchAnswer = self.send_json(&req).await?;
            let mut by_id: HashMap<String, BatchResponse> = answer
                .responses
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect();
            for m in &members {
                let r = by_id.remove(&m.id).ok_or_else(|| GraphError::Decode {
                    operation: OPERATION,
                    detail: format!("no answer for member \"{}\"", m.id),
                })?;
                answers.insert(m.id.clone(), r);
            }
            self.retry_members(&members, &mut answers).await?;
        }
        requests
            .iter()
            .map(|r| {
                answers.remove(&r.id).ok_or_else(|| GraphError::Decode {
                    operation: OPERATION,
                    detail: format!("no answer for member \"{}\"", r.id),
                })
            })
            .collect()
    }

    async fn retry_members(
        &self,
        members: &[&BatchRequest],
        answers: &mut HashMap<String, BatchResponse>,
    ) -> Result<(), GraphError> {
        let throttled = |m: &BatchRequest, r: &BatchResponse| {
            is_retryable_status(r.status) && (r.status != 504 || m.method != "POST")
        };
        let mut wait = None;
        for m in members {
            if let Some(r) = answers.get(&m.id).filter(|r| throttled(m, r)) {
                let after = r
                    .header("Retry-After")
                    .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
                wait = wait.max(Some(self.retry_policy().delay(1, after)));
            }
        }
        let Some(wait) = wait else {
            return Ok(());
        };
        tracing::warn!(
            wait_ms = wait.as_millis() as u64,
            "batch members throttled; retrying them one by one"
        );
        tokio::time::sleep(wait).await;
        for m in members {
            let Some(previous) = answers.get(&m.id) else {
                continue;
            };
            let blocked_by_retried = previous.status == 424
                && !m.depends_on.is_empty()
                && m.depends_on
                    .iter()
                    .all(|d| answers.get(d).is_some_and(BatchResponse::is_success));
            if !(throttled(m, previous) || blocked_by_retried) {
                continue;
            }
            let raw = self.execute(&self.member_request(m)?).await?;
            answers.insert(m.id.clone(), member_answer(&m.id, raw));
        }
        Ok(())
    }

    fn member_request(&self, m: &BatchRequest) -> Result<Request, GraphError> {
        let invalid = |detail: String| GraphError::Invalid {
            operation: OPERATION,
            detail,
        };
        let method = Method::from_bytes(m.method.as_bytes())
            .map_err(|_| invalid(format!("member \"{}\" has an invalid method", m.id)))?;
        let base = self.graph_url().as_str().trim_end_matches('/');
        let url = url::Url::parse(&format!("{base}/{}", m.url.trim_start_matches('/')))
            .map_err(|e| invalid(format!("member \"{}\" has an invalid url: {e}", m.id)))?;
        let mut req = Request::new(OPERATION, method, url);
        if let Some(body) = &m.body {
            req = req.with_body(body.clone());
        }
        req.headers = m
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(req)
    }
}

fn member_answer(id: &str, raw: RawResponse) -> BatchResponse {
    let headers = raw
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let body = match raw.body.is_empty() {
        true => None,
        false => Some(
            serde_json::from_slice(&raw.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&raw.body).into_owned())),
        ),
    };
    BatchResponse {
        id: id.to_string(),
        status: raw.status.as_u16(),
        headers,
        body,
    }
}

/// Every member asks for immutable ids, like every single call.
fn with_default_headers(mut r: BatchRequest) -> BatchRequest {
    match r.header("Prefer").cloned() {
        None => {
            r.headers
                .insert("Prefer".to_string(), PREFER_IMMUTABLE_IDS.to_string());
        }
        Some(existing) if !existing.contains("IdType") => {
            let key = r
                .headers
                .keys()
                .find(|k| k.eq_ignore_ascii_case("Prefer"))
                .cloned()
                .unwrap_or_else(|| "Prefer".to_string());
            r.headers
                .insert(key, format!("{existing}, {PREFER_IMMUTABLE_IDS}"));
        }
        Some(_) => {}
    }
    if r.body.is_some() && r.header("Content-Type").is_none() {
        r.headers
            .insert("Content-Type".to_string(), "application/json".to_string());
    }
    r
}

/// Split into batches of at most [`MAX_BATCH`] members (indices in the original order),
/// keeping every group linked by `depends_on` together.
fn chunk(requests: &[BatchRequest]) -> Result<Vec<Vec<usize>>, GraphError> {
    let invalid = |detail: String| GraphError::Invalid {
        operation: OPERATION,
        detail,
    };
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in requests.iter().enumerate() {
        if index.insert(r.id.as_str(), i).is_some() {
            return Err(invalid(format!("the member id \"{}\" is used twice", r.id)));
        }
    }
    let mut parent: Vec<usize> = (0..requests.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, r) in requests.iter().enumerate() {
        for d in &r.depends_on {
            let j = *index.get(d.as_str()).ok_or_else(|| {
                invalid(format!(
                    "member \"{}\" depends on an unknown member \"{d}\"",
                    r.id
                ))
            })?;
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a.max(b)] = a.min(b);
        }
    }
    // Groups in the order of their first member; members in their original order.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for i in 0..requests.len() {
        let r = root(&mut parent, i);
        let g = *group_of_root.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for g in groups {
        if g.len() > MAX_BATCH {
            return Err(invalid(format!(
                "{} members depend on one another, more than the {MAX_BATCH} one batch can hold",
                g.len()
            )));
        }
        if current.len() + g.len() > MAX_BATCH {
            chunks.push(std::mem::take(&mut current));
        }
        current.extend(g);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    for c in &mut chunks {
        c.sort_unstable();
    }
    Ok(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(id: &str) -> BatchRequest {
        BatchRequest::new(id, Method::GET, &GraphPath::new().lit("me"), &[])
    }

    #[test]
    fn groups_linked_by_depends_on_stay_in_one_batch() {
        let mut requests: Vec<BatchRequest> = (0..45).map(|i| get(&i.to_string())).collect();
        requests[19] = get("19").depends_on("18");
        requests[20] = get("20").depends_on("19");
        let chunks = chunk(&requests).unwrap();
        assert!(chunks.iter().all(|c| c.len() <= MAX_BATCH));
        let holding = |i: usize| chunks.iter().position(|c| c.contains(&i));
        assert_eq!(holding(18), holding(19));
        assert_eq!(holding(19), holding(20));
        let mut all: Vec<usize> = chunks.concat();
        all.sort_unstable();
        assert_eq!(all, (0..45).collect::<Vec<_>>());
    }

    #[test]
    fn unknown_dependencies_duplicate_ids_and_oversized_groups_are_refused() {
        assert!(chunk(&[get("a").depends_on("nope")]).is_err());
        assert!(chunk(&[get("a"), get("a")]).is_err());
        let chain: Vec<BatchRequest> = (0..21)
            .map(|i| match i {
                0 => get("0"),
                _ => get(&i.to_string()).depends_on((i - 1).to_string()),
            })
            .collect();
        assert!(matches!(chunk(&chain), Err(GraphError::Invalid { .. })));
    }

    #[test]
    fn members_ask_for_immutable_ids_and_declare_their_body_type() {
        let r = with_default_headers(BatchRequest {
            body: Some(json!({"subject": "x"})),
            ..get("1")
        });
        assert_eq!(
            r.headers.get("Prefer").map(String::as_str),
            Some(PREFER_IMMUTABLE_IDS)
        );
        assert_eq!(
            r.headers.get("Content-Type").map(String::as_str),
            Some("application/json")
        );
        let mut tz = get("2");
        tz.headers
            .insert("prefer".into(), "outlook.timezone=\"UTC\"".into());
        let tz = with_default_headers(tz);
        assert_eq!(
            tz.headers.get("prefer").map(String::as_str),
            Some("outlook.timezone=\"UTC\", IdType=\"ImmutableId\"")
        );
    }
}
