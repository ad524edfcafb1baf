//! The listener over real TCP, with a browser played by hand-written HTTP requests.

// Tests panic on purpose when they are wrong.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use onbehalf_loopback::{FinishError, LoopbackError, Redirect, RedirectListener};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Send `GET {target}` to the listener as a browser would; the status and the page.
async fn get(port: u16, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: test\r\n\
         Accept: text/html\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    (status, answer)
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_configured_port_and_path_make_the_exact_redirect_uri() {
    let port = free_port();
    let listener = RedirectListener::bind(port, "/OauthRedirect")
        .await
        .unwrap();
    assert_eq!(
        listener.redirect_uri(),
        format!("http://127.0.0.1:{port}/OauthRedirect")
    );
    assert_eq!(listener.port(), port);

    let waiting = tokio::spawn(
        listener.finish("s-1", Duration::from_secs(10), |r| async move {
            match r {
                Redirect::Code(code) => Ok::<_, String>(code.into_secret()),
                other => Err(format!("{other:?}")),
            }
        }),
    );
    // The root, a favicon and a forged state do not end the wait.
    assert_eq!(get(port, "/?code=x&state=s-1").await.0, 404);
    assert_eq!(get(port, "/favicon.ico").await.0, 404);
    let (status, page) = get(port, "/OauthRedirect?code=stolen&state=forged").await;
    assert_eq!(status, 400);
    assert!(page.contains("state mismatch"), "{page}");
    assert!(!waiting.is_finished());

    let (status, page) = get(port, "/OauthRedirect?code=aPrx%3D%3D&state=s-1").await;
    assert_eq!(status, 200);
    assert!(page.contains("You are signed in to Onbehalf"), "{page}");
    assert_eq!(waiting.await.unwrap().unwrap(), "aPrx==");
}

#[tokio::test]
async fn port_zero_picks_a_free_port() {
    let listener = RedirectListener::bind(0, "/").await.unwrap();
    assert_ne!(listener.port(), 0);
    assert!(listener.redirect_uri().starts_with("http://127.0.0.1:"));
    assert!(listener.redirect_uri().ends_with('/'));
}

#[tokio::test]
async fn a_port_in_use_is_a_bind_error_naming_it() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let err = RedirectListener::bind(port, "/OauthRedirect")
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoopbackError::Bind { port: p, .. } if p == port),
        "{err:?}"
    );
    assert!(err.to_string().contains(&port.to_string()), "{err}");
}

#[tokio::test]
async fn a_path_with_a_query_is_refused() {
    for path in ["OauthRedirect", "/a?b", "/a#b"] {
        assert!(matches!(
            RedirectListener::bind(0, path).await,
            Err(LoopbackError::InvalidPath { .. })
        ));
    }
}

#[tokio::test]
async fn a_refusal_reaches_the_handler_and_its_error_the_browser() {
    let listener = RedirectListener::bind(0, "/").await.unwrap();
    let port = listener.port();
    let waiting = tokio::spawn(
        listener.finish("s", Duration::from_secs(10), |r| async move {
            match r {
                Redirect::Refused { error, description } => {
                    Err::<(), _>(format!("refused: {error} ({description})"))
                }
                other => panic!("{other:?}"),
            }
        }),
    );
    let (status, page) = get(
        port,
        "/?error=access_denied&error_description=end-user+denied+authorization&state=s",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        page.contains("Onbehalf could not sign you in. refused: access_denied"),
        "{page}"
    );
    assert_eq!(
        waiting.await.unwrap().unwrap_err(),
        FinishError::Handler("refused: access_denied (end-user denied authorization)".into())
    );
}

#[tokio::test]
async fn nobody_coming_back_times_out() {
    let listener = RedirectListener::bind(0, "/").await.unwrap();
    let result = listener
        .finish("s", Duration::from_millis(100), |_| async {
            Ok::<(), String>(())
        })
        .await;
    assert_eq!(result, Err(FinishError::TimedOut { seconds: 0 }));
}

#[tokio::test]
async fn a_connection_that_sends_nothing_does_not_block_the_real_redirect() {
    let listener = RedirectListener::bind(0, "/").await.unwrap();
    let port = listener.port();
    let waiting = tokio::spawn(
        listener.finish("s", Duration::from_secs(20), |r| async move {
            Ok::<_, String>(matches!(r, Redirect::Code(_)))
        }),
    );
    // A half-open connection is dropped after it sends an incomplete head.
    let mut idle = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    idle.write_all(b"GET /?code=").await.unwrap();
    drop(idle);
    assert_eq!(get(port, "/?code=c&state=s").await.0, 200);
    assert!(waiting.await.unwrap().unwrap());
}
