//! The web app (`app/dist`, built by `npm run build` in `app/`) served at `/app/`, so that a
//! hospital's staff and patients open one address: the gateway's (docs/gateway.md, "The web
//! app").
//!
//! Rules:
//! 1. Off unless `app_dir` is configured; a configured directory that is not a directory with
//!    an `index.html` stops `serve` at start-up, so a typo is not found by a user's 404.
//! 2. No API token: the files are the app's code, the same for every hospital, and hold no data.
//!    The app itself asks the API (and the node) with the user's own credentials.
//! 3. Only files inside the directory are served. A request path is accepted only as segments
//!    of `[A-Za-z0-9._-]` that do not start with a dot (so no `..`, `.`, hidden files, empty
//!    segments or absolute paths, however they are percent-encoded), and the file's canonical
//!    path (symlinks resolved) must still lie inside the directory's. Anything else is 404.
//! 4. `index.html` (and any other HTML) is `no-cache`, so a new build is seen at the next
//!    load; Vite's content-hashed `assets/*` are cached for a year as `immutable`. Other files
//!    are `no-cache` as well, since their names do not change with their content.
//! 5. Every answer under `/app` carries the Content-Security-Policy [`CSP`] and
//!    `X-Content-Type-Options: nosniff`: the app is bundled (no inline script or style, no CDN)
//!    so `'self'` is enough, and it talks to the node over WebSocket or HTTP at an address the
//!    user chooses, hence `connect-src` for any `ws:`/`wss:`/`http:`/`https:` origin.
//! 6. No SPA fallback: the app routes with `#/…`, so an unknown path is really unknown.

use axum::{
	extract::{Path, State},
	http::{header, HeaderValue, StatusCode},
	response::{IntoResponse, Redirect, Response},
	routing::get,
	Router,
};
use std::{
	path::{Path as FsPath, PathBuf},
	sync::Arc,
};

/// The Content-Security-Policy of every answer under `/app` (rule 5). `'wasm-unsafe-eval'`
/// lets the signing libraries compile their WebAssembly without allowing `eval` of scripts.
pub const CSP: &str = "default-src 'self'; connect-src 'self' ws: wss: http: https:; \
	img-src 'self' data: blob:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
	object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `Cache-Control` of Vite's content-hashed assets: a changed file has a new name (rule 4).
const CACHE_HASHED: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: revalidated at every load (rule 4).
const CACHE_REVALIDATE: &str = "no-cache";

/// The built web app's directory, checked and resolved once at start-up.
#[derive(Clone, Debug)]
pub struct WebApp {
	/// The directory's canonical path (symlinks resolved), which every served file must be in.
	root: PathBuf,
}

impl WebApp {
	/// Opens the built app in `dir` (rule 1): it must be a directory holding `index.html`.
	pub fn open(dir: &FsPath) -> Result<Self, String> {
		let root =
			dir.canonicalize().map_err(|e| format!("web app directory {}: {e}", dir.display()))?;
		if !root.is_dir() {
			return Err(format!("web app directory {}: not a directory", dir.display()));
		}
		if !root.join("index.html").is_file() {
			return Err(format!(
				"web app directory {}: no index.html (build the app with `npm run build` in app/)",
				dir.display()
			));
		}
		Ok(WebApp { root })
	}

	/// The file a request path names, if rule 3 lets it be served (blocking: file system).
	fn file(&self, path: &str) -> Option<PathBuf> {
		let allowed = |segment: &str| {
			!segment.is_empty()
				&& !segment.starts_with('.')
				&& segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
		};
		if !path.split('/').all(allowed) {
			return None;
		}
		let file = self.root.join(path).canonicalize().ok()?;
		(file.starts_with(&self.root) && file.is_file()).then_some(file)
	}
}

/// The routes under `/app` (without the API's token check, rule 2).
pub fn routes<S: Clone + Send + Sync + 'static>(app: Arc<WebApp>) -> Router<S> {
	Router::new()
		.route("/app", get(to_index))
		.route("/app/", get(index))
		.route("/app/{*path}", get(file))
		.with_state(app)
}

/// `/app` → `/app/`, so that the app's relative asset paths (Vite `base: "./"`) resolve under
/// `/app/`. The location is relative (`app/`), so it stays right behind a proxy that mounts
/// the gateway under a path prefix.
async fn to_index() -> Response {
	with_security_headers(Redirect::permanent("app/").into_response())
}

async fn index(State(app): State<Arc<WebApp>>) -> Response {
	serve(app, "index.html".into()).await
}

async fn file(State(app): State<Arc<WebApp>>, Path(path): Path<String>) -> Response {
	serve(app, path).await
}

async fn serve(app: Arc<WebApp>, path: String) -> Response {
	let read = tokio::task::spawn_blocking(move || {
		let file = app.file(&path)?;
		match std::fs::read(&file) {
			Ok(body) => Some((path, body)),
			Err(e) => {
				tracing::warn!(file = %file.display(), error = %e, "cannot read a web app file");
				None
			},
		}
	});
	let Ok(Some((path, body))) = read.await else { return not_found() };
	let cache = if path.starts_with("assets/") && !path.ends_with(".html") {
		CACHE_HASHED
	} else {
		CACHE_REVALIDATE
	};
	let headers = [
		(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path))),
		(header::CACHE_CONTROL, HeaderValue::from_static(cache)),
	];
	with_security_headers((headers, body).into_response())
}

fn not_found() -> Response {
	let headers = [
		(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")),
		(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_REVALIDATE)),
	];
	with_security_headers(
		(StatusCode::NOT_FOUND, headers, "not found in the web app\n").into_response(),
	)
}

fn with_security_headers(mut response: Response) -> Response {
	let headers = response.headers_mut();
	headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
	headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
	headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
	response
}

/// The Content-Type of a file by its extension; unknown kinds are opaque bytes, which
/// `nosniff` keeps the browser from reinterpreting.
pub fn content_type(path: &str) -> &'static str {
	let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
	match extension.as_deref() {
		Some("html") => "text/html; charset=utf-8",
		Some("js" | "mjs") => "text/javascript; charset=utf-8",
		Some("css") => "text/css; charset=utf-8",
		Some("svg") => "image/svg+xml",
		Some("png") => "image/png",
		Some("json" | "map") => "application/json",
		Some("woff2") => "font/woff2",
		Some("ico") => "image/x-icon",
		Some("txt") => "text/plain; charset=utf-8",
		Some("wasm") => "application/wasm",
		_ => "application/octet-stream",
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn content_types_by_extension() {
		for (path, kind) in [
			("index.html", "text/html; charset=utf-8"),
			("assets/index-Ds6Nyu1Q.js", "text/javascript; charset=utf-8"),
			("assets/index-DDiGMtiW.css", "text/css; charset=utf-8"),
			("logo.svg", "image/svg+xml"),
			("icon.PNG", "image/png"),
			("manifest.json", "application/json"),
			("assets/index.js.map", "application/json"),
			("assets/font-1a2b.woff2", "font/woff2"),
			("favicon.ico", "image/x-icon"),
			("robots.txt", "text/plain; charset=utf-8"),
			("README", "application/octet-stream"),
		] {
			assert_eq!(content_type(path), kind, "{path}");
		}
	}

	#[test]
	fn only_plain_segments_inside_the_directory_are_files() {
		let dir = tempfile::tempdir().unwrap();
		assert!(WebApp::open(dir.path()).unwrap_err().contains("no index.html"));
		std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
		std::fs::create_dir(dir.path().join("assets")).unwrap();
		std::fs::write(dir.path().join("assets/a-1.js"), "1").unwrap();
		std::fs::write(dir.path().join(".env"), "secret").unwrap();
		// A symlink that stays inside is followed; one that leaves the directory is not.
		let outside = tempfile::tempdir().unwrap();
		std::fs::write(outside.path().join("gateway.toml"), "tokens = []").unwrap();
		std::os::unix::fs::symlink(outside.path().join("gateway.toml"), dir.path().join("out.txt"))
			.unwrap();
		std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
		std::os::unix::fs::symlink(dir.path().join("index.html"), dir.path().join("in.html"))
			.unwrap();
		let app = WebApp::open(dir.path()).unwrap();
		assert!(app.file("index.html").is_some());
		assert!(app.file("in.html").is_some());
		assert_eq!(app.file("out.txt"), None);
		assert_eq!(app.file("elsewhere/gateway.toml"), None);
		assert!(app.file("assets/a-1.js").is_some());
		for refused in [
			"",
			"assets",
			"assets/",
			"assets//a-1.js",
			"./index.html",
			"assets/../index.html",
			"..",
			"/etc/passwd",
			".env",
			"assets\\..\\index.html",
			"index.html\0",
			"nothing.js",
		] {
			assert_eq!(app.file(refused), None, "{refused:?}");
		}
	}
}
