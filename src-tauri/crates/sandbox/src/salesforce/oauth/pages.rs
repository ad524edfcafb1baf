//! The login host's pages, in the style of the Microsoft sign-in page (same helpers): the
//! demo-user picker of the authorization request, the device verification page and the
//! message and error pages. Each user button carries `data-user="<address>"`.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::identity::pages::{error_line, page, user_buttons};
use crate::org::DemoUser;

/// The demo users as the CRM sign-in shows them: with the part each plays in the CRM.
fn crm_people(users: &[DemoUser]) -> Vec<DemoUser> {
    users
        .iter()
        .map(|u| DemoUser {
            story: u.crm.story.clone(),
            ..u.clone()
        })
        .collect()
}

fn hidden(params: &[(String, String)], skip: &str) -> String {
    params
        .iter()
        .filter(|(k, _)| k != skip)
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                attr(k),
                attr(v)
            )
        })
        .collect()
}

/// The log-in page: pick a demo user. The request's own parameters ride along as hidden
/// fields, so that choosing a user repeats it with `login_hint`.
pub(super) fn log_in(
    users: &[DemoUser],
    params: &[(String, String)],
    error: Option<&str>,
) -> String {
    page(
        "Login | Salesforce",
        &format!(
            "<h1>Log in to Salesforce</h1><p class=\"sub\">Contoso CRM sandbox: choose a demo user</p>{}\
<form method=\"get\" action=\"authorize\">{}{}</form>",
            error_line(error),
            hidden(params, "login_hint"),
            user_buttons(&crm_people(users))
        ),
    )
}

/// The device verification page: enter the code the device shows, then pick who connects.
pub(super) fn connect(users: &[DemoUser], code: &str, error: Option<&str>) -> String {
    page(
        "Connect Your Device | Salesforce",
        &format!(
            "<h1>Connect Your Device</h1><p class=\"sub\">Enter the code displayed on your device, then choose who connects it.</p>{}\
<form method=\"post\" action=\"connect\"><label for=\"user_code\">Code</label>\
<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"{}\" autocomplete=\"off\" required>{}\
<button class=\"secondary\" type=\"submit\" name=\"deny\" value=\"1\">Deny access to the device</button></form>",
            error_line(error),
            attr(code),
            user_buttons(&crm_people(users))
        ),
    )
}

pub(super) fn message(title: &str, message: &str) -> String {
    page(
        title,
        &format!(
            "<h1>{}</h1><p class=\"sub\">{}</p>",
            text(title),
            text(message)
        ),
    )
}

/// An error shown instead of redirecting, as Salesforce's remote access error page does when
/// it cannot trust the client or the redirect URI.
pub(super) fn error(error: &str, description: &str) -> String {
    page(
        "Remote Access Error",
        &format!(
            "<h1>Remote Access Error</h1>{}<p class=\"sub\">error={}</p>",
            error_line(Some(description)),
            text(error)
        ),
    )
}
