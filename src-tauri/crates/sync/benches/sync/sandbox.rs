//! Signing in to the sandbox and filling calendars through its Graph, as Outlook would.

use super::*;

pub(crate) fn endpoints(sb: &Sandbox) -> Result<Endpoints, Failure> {
    Ok(Endpoints {
        authority: Url::parse(&sb.authority())?,
        graph_url: Url::parse(&sb.graph_url())?,
        client_id: sb.client_id().to_string(),
        trust: Trust::default(),
    })
}

/// Sign a person in through the authorization-code flow, the sandbox's authorize page sending
/// the "browser" straight back for the `login_hint`.
pub(crate) async fn graph_sign_in(
    sb: &Sandbox,
    address: &str,
) -> Result<onbehalf_graph::TokenSet, Failure> {
    let (flow, url) = LoopbackSignIn::start(&endpoints(sb)?, Some(address)).await?;
    let browser = reqwest::Client::new();
    let (visited, tokens) = tokio::join!(
        browser.get(url.as_str()).send(),
        flow.finish(Duration::from_secs(30))
    );
    visited?;
    Ok(tokens?)
}

pub(crate) async fn graph_token(sb: &Sandbox, address: &str) -> Result<String, Failure> {
    Ok(graph_sign_in(sb, address)
        .await?
        .access_token
        .expose()
        .clone())
}

/// A Graph call as the holder of `token`; the answer's status and body.
pub(crate) async fn graph(
    sb: &Sandbox,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Result<(u16, Value), Failure> {
    let url = match path.starts_with("http") {
        true => path.to_string(),
        false => format!("{}{path}", sb.graph_url()),
    };
    let mut req = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    let text = resp.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// Items on the calendar of the holder of `token`, twenty to a `$batch`.
pub(crate) async fn add_items(sb: &Sandbox, token: &str, items: &[Value]) -> Result<(), Failure> {
    for chunk in items.chunks(MAX_BATCH) {
        let requests: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, body)| {
                json!({
                    "id": (i + 1).to_string(),
                    "method": "POST",
                    "url": "/me/events",
                    "headers": {"Content-Type": "application/json"},
                    "body": body,
                })
            })
            .collect();
        let batch = json!({ "requests": requests });
        let (status, answer) =
            graph(sb, token, reqwest::Method::POST, "/$batch", Some(batch)).await?;
        let created = answer["responses"]
            .as_array()
            .map_or(0, |r| r.iter().filter(|m| m["status"] == 201).count());
        if status != 200 || created != chunk.len() {
            return Err(format!("adding items: {status} {answer}").into());
        }
    }
    Ok(())
}

/// Let `grantee` read the owner's calendar (the holder of `token`), unless they already may.
pub(crate) async fn grant_read(
    sb: &Sandbox,
    token: &str,
    owner: &Owner,
    grantee: &str,
) -> Result<(), Failure> {
    if owner.level.is_some() {
        return Ok(());
    }
    let body = json!({
        "emailAddress": {"address": grantee},
        "role": "read",
        "isInsideOrganization": true,
    });
    let (status, answer) = graph(
        sb,
        token,
        reqwest::Method::POST,
        "/me/calendar/calendarPermissions",
        Some(body),
    )
    .await?;
    match status {
        201 => Ok(()),
        _ => Err(format!("sharing {}'s calendar: {status} {answer}", owner.address).into()),
    }
}

/// How many items the calendar view of the holder of `token` shows in `window`.
pub(crate) async fn items_in_view(
    sb: &Sandbox,
    token: &str,
    window: Window,
) -> Result<usize, Failure> {
    let text = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut next = Some(format!(
        "/me/calendarView?startDateTime={}&endDateTime={}&$select=id&$top=1000",
        text(window.from),
        text(window.to)
    ));
    let mut count = 0;
    while let Some(path) = next {
        let (status, page) = graph(sb, token, reqwest::Method::GET, &path, None).await?;
        if status != 200 {
            return Err(format!("reading the calendar view: {status} {page}").into());
        }
        count += page["value"].as_array().map_or(0, Vec::len);
        next = page["@odata.nextLink"].as_str().map(str::to_string);
    }
    Ok(count)
}

/// `n` half-hour appointments (shorter when many) from tomorrow on, within the window; every
/// `share_every`th (none for 0) carries the share category.
pub(crate) fn schedule(subject: &str, n: usize, share_every: usize, window: Window) -> Vec<Value> {
    let first = (Utc::now() + Span::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let room = (window.to - first - Span::days(1)).num_minutes().max(1);
    let step = (room / i64::try_from(n.max(1)).unwrap_or(i64::MAX)).clamp(1, 30);
    let category = Settings::default().share_category;
    (0..n)
        .map(|i| {
            let start = first + Span::minutes(step * i64::try_from(i).unwrap_or(0));
            let end = start + Span::minutes(step);
            let shared = share_every != 0 && i % share_every == 0;
            let at = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
            json!({
                "subject": format!("{subject} {i}"),
                "body": {"contentType": "text", "content": "Agenda: renewal terms."},
                "start": {"dateTime": at(start), "timeZone": "UTC"},
                "end": {"dateTime": at(end), "timeZone": "UTC"},
                "location": {"displayName": "Board room"},
                "categories": if shared { vec![category.clone()] } else { Vec::new() },
            })
        })
        .collect()
}
