//! The small pages the browser gets back from the listener.

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

pub(crate) const SIGNED_IN: &str = "You are signed in to Onbehalf. You can close this window.";
pub(crate) const IGNORED: &str = "This answer does not belong to the sign-in Onbehalf is waiting \
                                  for (state mismatch), so it was ignored. Finish signing in in \
                                  the window Onbehalf opened, or start the sign-in again from \
                                  Onbehalf.";
pub(crate) const ONLY_SIGN_IN: &str = "This address only finishes a sign-in.";

/// Answer the browser with a page and close the connection. A browser that went away is not
/// an error: the sign-in's outcome does not depend on it having read the page.
pub(crate) async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} – \
         Onbehalf</title><style>body{{font-family:system-ui,sans-serif;margin:4em auto;\
         max-width:32em;line-height:1.5}}</style></head><body><h1>{title}</h1><p>{}</p>\
         </body></html>",
        html_escape::encode_text(text)
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Cache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
