//! The small HTML pages of the identity platform: the demo-user sign-in page, the device code
//! page, the error page, and the `form_post` auto-submit page. Each user button carries
//! `data-user="<address>"` so WebDriver tests can find it.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::org::DemoUser;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f2f1;margin:0}\
main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}\
h1{font-size:24px;font-weight:600;margin:0 0 8px}p.sub{color:#605e5c;margin:0 0 20px}\
p.error{color:#a4262c;font-weight:600}\
button.user{display:block;width:100%;text-align:left;border:1px solid #c8c6c4;background:#fff;padding:10px 12px;margin:0 0 8px;cursor:pointer;font:inherit}\
button.user:hover,button.user:focus{border-color:#0067b8;outline:2px solid #0067b8}\
.name{font-weight:600}.addr{color:#323130;font-size:13px}.story{color:#605e5c;font-size:13px}\
input[type=text]{width:100%;padding:8px;font:inherit;margin:0 0 16px;box-sizing:border-box}\
button.secondary{border:0;background:none;color:#0067b8;cursor:pointer;font:inherit;padding:0}";

pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        text(title)
    )
}

pub(crate) fn error_line(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", text(e)))
        .unwrap_or_default()
}

pub(crate) fn user_buttons(users: &[DemoUser]) -> String {
    users
        .iter()
        .map(|u| {
            format!(
                "<button class=\"user\" type=\"submit\" name=\"login_hint\" value=\"{a}\" data-user=\"{a}\">\
<span class=\"name\">{n}</span><br><span class=\"addr\">{t}</span><br><span class=\"story\">{s}</span></button>",
                a = attr(&u.address),
                n = text(&u.display_name),
                t = text(&u.address),
                s = text(&u.story),
            )
        })
        .collect()
}

/// The sign-in page: pick a demo user. `params` are the authorize request's own parameters,
/// carried as hidden fields so that choosing a user repeats the request with `login_hint`.
pub(crate) fn sign_in(
    users: &[DemoUser],
    params: &[(String, String)],
    error: Option<&str>,
) -> String {
    let hidden: String = params
        .iter()
        .filter(|(k, _)| k != "login_hint")
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                attr(k),
                attr(v)
            )
        })
        .collect();
    page(
        "Sign in to your account",
        &format!(
            "<h1>Sign in</h1><p class=\"sub\">Contoso sandbox: choose a demo user</p>{}\
<form method=\"get\" action=\"authorize\">{hidden}{}</form>",
            error_line(error),
            user_buttons(users)
        ),
    )
}

/// The device code page: enter the code shown on the device, then pick a demo user.
pub(crate) fn device_login(users: &[DemoUser], code: &str, error: Option<&str>) -> String {
    page(
        "Enter code",
        &format!(
            "<h1>Enter code</h1><p class=\"sub\">Enter the code displayed on your device, then choose who signs in.</p>{}\
<form method=\"post\" action=\"devicelogin\"><label for=\"user_code\">Code</label>\
<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"{}\" autocomplete=\"off\" required>{}\
<button class=\"secondary\" type=\"submit\" name=\"decline\" value=\"1\">Cancel sign-in on the device</button></form>",
            error_line(error),
            attr(code),
            user_buttons(users)
        ),
    )
}

/// A plain message page (device sign-in done or declined).
pub(crate) fn message(title: &str, message: &str) -> String {
    page(
        title,
        &format!(
            "<h1>{}</h1><p class=\"sub\">{}</p>",
            text(title),
            text(message)
        ),
    )
}

/// An error shown instead of redirecting, as the identity platform does when it cannot trust
/// the redirect URI or the client.
pub(crate) fn error(message: &str) -> String {
    page(
        "Sign in error",
        &format!(
            "<h1>Sorry, but we're having trouble signing you in.</h1>{}",
            error_line(Some(message))
        ),
    )
}

/// `response_mode=form_post`: a page that posts the result to the redirect URI at once.
pub(crate) fn form_post(redirect_uri: &str, fields: &[(&str, String)]) -> String {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                attr(k),
                attr(v)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>Working...</title></head><body onload=\"document.forms[0].submit()\">\
<form method=\"post\" action=\"{}\">{inputs}<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>",
        attr(redirect_uri)
    )
}
