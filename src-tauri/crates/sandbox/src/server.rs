//! The HTTP server: one task accepting on 127.0.0.1, one task per connection, over plain TCP
//! or TLS. Each request carries a handle to its own connection so that a "dropped connection"
//! fault can close the socket without any answer, the way a failing network does, and how the
//! connection was made (for the request's [`Origin`](crate::origin::Origin)).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::origin::Connection;

/// How long a client may take over the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Closes the connection a request arrived on.
#[derive(Clone)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serve `app` on `listener` (over TLS with `tls`) until `shutdown` turns true.
pub(crate) fn spawn(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let local = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "the listener has no address");
                return;
            }
        };
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _peer)) => {
                        connections.spawn(accept(stream, app.clone(), tls.clone(), local));
                    }
                    Err(e) => tracing::warn!(error = %e, "accept failed"),
                },
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        break;
                    }
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.shutdown().await;
    })
}

async fn accept(
    stream: tokio::net::TcpStream,
    app: Router,
    tls: Option<TlsAcceptor>,
    local: SocketAddr,
) {
    let Some(acceptor) = tls else {
        let connection = Connection {
            https: false,
            local,
        };
        return serve_connection(stream, app, connection).await;
    };
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => {
            let connection = Connection { https: true, local };
            serve_connection(stream, app, connection).await;
        }
        // A client that does not trust the CA ends here; it is told by its own TLS stack.
        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
        Err(_) => tracing::debug!("TLS handshake timed out"),
    }
}

async fn serve_connection<S>(stream: S, app: Router, connection: Connection)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = ConnectionKill(Arc::new(Notify::new()));
    let handle = kill.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(handle.clone());
        req.extensions_mut().insert(connection);
        let app = app.clone();
        async move {
            let response = app.oneshot(req).await;
            Ok::<_, Infallible>(match response {
                Ok(r) => r,
                Err(never) => match never {},
            })
        }
    });
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        // Dropping the connection future closes the socket with no response written.
        _ = kill.0.notified() => tracing::debug!("connection dropped by a fault"),
    }
}
