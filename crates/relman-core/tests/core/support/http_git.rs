//! A real smart-HTTP git server for tests: `git http-backend` (git's own CGI program) behind a small
//! HTTP/1.1 server on 127.0.0.1 that demands HTTP basic authentication, as a private repository on a
//! forge does. Pushes and fetches through it go through libgit2's real HTTP transport.
//!
//! Standard library only and self-contained, so another crate's tests can copy or `#[path]`-include
//! this file as it is. It needs `git` on PATH.
//!
//! How a request is served, on a thread of its own:
//! 1. read the request line and headers; answer `Expect: 100-continue`;
//! 2. read the body, whether sized by `Content-Length` or sent `Transfer-Encoding: chunked` (libgit2
//!    streams a push's pack that way);
//! 3. without the expected `Authorization: Basic …`, answer 401 with `WWW-Authenticate` and count it;
//! 4. otherwise run `git http-backend` with the CGI variables, feed it the decoded body, turn its
//!    `Status:` header into the status line and stream its output back, chunked.
//!
//! Limits, on purpose: one request per connection (`Connection: close`), no TLS, no percent-decoding
//! of paths, and the whole request body is held in memory. Good for test repositories, not for serving.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A running server; it stops when dropped.
pub struct GitHttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

struct Shared {
    root: PathBuf,
    user: String,
    /// The whole `Authorization` header value that lets a request in.
    expected_auth: String,
    stop: AtomicBool,
    unauthorized: AtomicUsize,
    log: Mutex<Vec<String>>,
}

impl GitHttpServer {
    /// Serves the repositories under `root` (`root/app.git` at `/app.git`) to `user` with `token`.
    pub fn start(root: &Path, user: &str, token: &str) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            user: user.to_string(),
            expected_auth: format!("Basic {}", base64(format!("{user}:{token}").as_bytes())),
            stop: AtomicBool::new(false),
            unauthorized: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&accept_shared);
                thread::spawn(move || {
                    if let Err(e) = serve(stream, &shared) {
                        shared.record(format!("connection failed: {e}"));
                    }
                });
            }
        });
        Ok(Self { addr, shared, accept: Some(accept) })
    }

    /// The URL of the repository `name` under the root, e.g. `http://127.0.0.1:41234/app.git`.
    pub fn url(&self, name: &str) -> String {
        format!("http://{}/{name}", self.addr)
    }

    /// `127.0.0.1:PORT`, as a client names this server.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// How many requests were turned away with 401.
    pub fn unauthorized(&self) -> usize {
        self.shared.unauthorized.load(Ordering::SeqCst)
    }

    /// One line per request (`POST /app.git/git-receive-pack -> 200 OK`) and anything git http-backend
    /// wrote to stderr: what to print when a test fails.
    pub fn log(&self) -> String {
        self.shared.log.lock().map(|log| log.join("\n")).unwrap_or_default()
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // `incoming()` blocks until a connection comes; make one so the loop sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Shared {
    fn record(&self, line: String) {
        if let Ok(mut log) = self.log.lock() {
            log.push(line);
        }
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
    /// Header names in lower case.
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    // A client that stalls must not leave a test hanging.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader, &mut writer)? else { return Ok(()) };
    let line = format!("{} {}{}", request.method, request.path, query_suffix(&request.query));

    if request.headers.get("authorization") != Some(&shared.expected_auth) {
        shared.unauthorized.fetch_add(1, Ordering::SeqCst);
        shared.record(format!("{line} -> 401"));
        let body = "Authentication required\n";
        write!(
            writer,
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"relman-test\"\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        return writer.flush();
    }

    let status = run_backend(&request, shared, &mut writer)?;
    shared.record(format!("{line} -> {status}"));
    writer.flush()
}

fn query_suffix(query: &str) -> String {
    if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    }
}

/// Reads one request; `None` when the client closed the connection without sending one.
fn read_request(reader: &mut impl BufRead, writer: &mut impl Write) -> io::Result<Option<Request>> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(None);
    }
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(invalid(format!("bad request line {request_line:?}")));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("connection closed inside the headers".into()));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }

    if headers.get("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    // The body is read in full before any answer, even a 401: closing a socket with unread data makes
    // the kernel reset the connection, and the client may then never see the answer.
    let chunked = headers.get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let length = match headers.get("content-length") {
            Some(text) => text.parse().map_err(|_| invalid(format!("bad Content-Length {text:?}")))?,
            None => 0,
        };
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    };
    Ok(Some(Request { method: method.to_string(), path: path.to_string(), query: query.to_string(), headers, body }))
}

/// Decodes a `Transfer-Encoding: chunked` body: hex size lines, each followed by that many bytes and
/// CRLF, ended by a zero size and optional trailers.
fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        if reader.read_line(&mut size_line)? == 0 {
            return Err(invalid("connection closed inside a chunked body".into()));
        }
        let size_text = size_line.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_text, 16).map_err(|_| invalid(format!("bad chunk size {size_line:?}")))?;
        if size == 0 {
            loop {
                let mut trailer = String::new();
                if reader.read_line(&mut trailer)? == 0 || trailer.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf)?;
    }
}

/// Runs `git http-backend` for an authorised request and streams its answer; returns the status sent.
fn run_backend(request: &Request, shared: &Shared, writer: &mut impl Write) -> io::Result<String> {
    let header = |name: &str| request.headers.get(name).cloned().unwrap_or_default();
    let mut command = Command::new("git");
    command
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // Nothing from the machine's or the developer's git config may change what the server does.
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", &shared.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REMOTE_USER", &shared.user)
        .env("AUTH_TYPE", "Basic")
        .env("REQUEST_METHOD", &request.method)
        .env("PATH_INFO", &request.path)
        .env("QUERY_STRING", &request.query)
        .env("CONTENT_TYPE", header("content-type"))
        .env("CONTENT_LENGTH", request.body.len().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, variable) in [("content-encoding", "HTTP_CONTENT_ENCODING"), ("git-protocol", "GIT_PROTOCOL")] {
        if let Some(value) = request.headers.get(name) {
            command.env(variable, value);
        }
    }
    let mut child = command.spawn()?;

    // Fed from another thread: the backend may start answering before it has read everything, and
    // with both pipes full neither side would move.
    let mut stdin = child.stdin.take().ok_or_else(|| invalid("no stdin for git http-backend".into()))?;
    let body = request.body.clone();
    let feeder = thread::spawn(move || stdin.write_all(&body));
    let mut stderr = child.stderr.take().ok_or_else(|| invalid("no stderr for git http-backend".into()))?;
    let stderr_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    let stdout = child.stdout.take().ok_or_else(|| invalid("no stdout for git http-backend".into()))?;
    let mut output = BufReader::new(stdout);
    let mut status = "200 OK".to_string();
    let mut headers = String::new();
    loop {
        let mut line = String::new();
        if output.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("status") => status = value.trim().to_string(),
            _ => {
                headers.push_str(line);
                headers.push_str("\r\n");
            }
        }
    }
    let sent = send_chunked(&status, &headers, &mut output, writer);
    // Closed before waiting, so a backend still writing to a client that left gets EPIPE and ends.
    drop(output);
    let _ = feeder.join();
    child.wait()?;
    let errors = stderr_reader.join().unwrap_or_default();
    if !errors.trim().is_empty() {
        shared.record(format!("git http-backend: {}", errors.trim()));
    }
    match sent {
        Ok(()) => Ok(status),
        // libgit2 hangs up as soon as it has read the last pkt-line, which can be before the final
        // empty chunk is written: the client has all it needs.
        Err(e) if matches!(e.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset) => {
            Ok(format!("{status} (client hung up before the last chunk)"))
        }
        Err(e) => Err(e),
    }
}

/// Writes the answer; the body goes out chunked because its length is not known before the backend
/// ends. (A body that runs until the connection closes is valid HTTP/1.1, but libgit2 reads it as empty.)
fn send_chunked(status: &str, headers: &str, body: &mut impl Read, writer: &mut impl Write) -> io::Result<()> {
    write!(writer, "HTTP/1.1 {status}\r\n{headers}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")?;
    let mut buffer = [0; 16 * 1024];
    loop {
        let n = body.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        write!(writer, "{n:x}\r\n")?;
        writer.write_all(&buffer[..n])?;
        writer.write_all(b"\r\n")?;
        writer.flush()?;
    }
    writer.write_all(b"0\r\n\r\n")?;
    writer.flush()
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Standard base64 with padding, enough for a Basic credential.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, encoded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(plain.as_bytes()), encoded, "RFC 4648 test vector for {plain:?}");
        }
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let wire = b"4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n";
        let body = read_chunked(&mut &wire[..]).unwrap();
        assert_eq!(body, b"Wikipedia ", "chunks joined, extension and trailer dropped");
    }
}
