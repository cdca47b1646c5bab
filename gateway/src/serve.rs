//! `medchain-gateway serve`: checks the device on chain, publishes its encryption key, then
//! runs the REST API and the anchoring pipeline until SIGINT or SIGTERM.
//!
//! Start-up rules:
//! 1. The device must be a device of an active hospital or clinic; otherwise the gateway
//!    refuses to start and says what the admin must do.
//! 2. If the node cannot be reached, the gateway starts only if it checked its device before
//!    (`chain.toml` remembers the custodian): records are then accepted and queued, `/health`
//!    says degraded, and the pipeline anchors them when the node returns.
//! 3. The device's encryption key is published (`institutions::set_encryption_key`) when the
//!    chain does not hold it yet, so that other hospitals can encrypt to this gateway.
//! 4. On SIGINT/SIGTERM the API stops accepting requests, finishes the ones in progress, and
//!    the pipeline stops after its round; anything not yet anchored stays in the outbox.

use crate::{
	anchoring::{Health, Limits, Pipeline},
	api::{self, ApiState},
	chain,
	config::{ChainMemory, Config},
	keys::DeviceKeys,
	link::ChainLink,
	store::Store,
};
use std::{
	path::Path,
	sync::{Arc, RwLock},
	time::Duration,
};

/// Runs the gateway in `data_dir` with `config`; returns when it was stopped, or why it could
/// not start.
pub async fn serve(data_dir: &Path, config: Config) -> Result<(), String> {
	let keys = DeviceKeys::load(data_dir).map_err(|e| e.to_string())?;
	let device = chain::account(&keys.signing);
	let custodian = match chain::connect(&config.node).await {
		Ok(ws) => {
			let standing = chain::standing(&ws, &device)
				.await
				.map_err(|e| format!("cannot read the device's standing: {e}"))?
				.map_err(|refusal| format!("refusing to start: {refusal}"))?;
			let key = keys.encryption_public();
			if standing.encryption_key != Some(key) {
				chain::publish_encryption_key(&ws, &keys.signing, key)
					.await
					.map_err(|e| format!("cannot publish the encryption key: {e}"))?;
				tracing::info!("encryption key published on chain");
			}
			ChainMemory { custodian: standing.institution }
				.save(data_dir)
				.map_err(|e| e.to_string())?;
			standing.institution
		},
		Err(e) => match ChainMemory::load(data_dir) {
			Some(memory) => {
				tracing::warn!(error = %e, "node unreachable: starting degraded, records are queued");
				memory.custodian
			},
			None => {
				return Err(format!(
					"node {} unreachable ({e}) and this gateway never checked its device on chain",
					config.node
				))
			},
		},
	};
	let mut store = Store::open(data_dir).map_err(|e| e.to_string())?;
	store.set_reserve(config.min_free_bytes);
	let store = Arc::new(RwLock::new(store));
	let health = Arc::new(Health::default());
	let (stop, stopped) = tokio::sync::watch::channel(false);
	let pipeline = Pipeline {
		store: store.clone(),
		device: keys.signing.clone(),
		custodian,
		url: config.node.clone(),
		health: health.clone(),
		limits: Limits::default(),
	};
	let pipeline = tokio::spawn(pipeline.run(stopped));
	let link = Arc::new(ChainLink::new(&config.node, custodian));
	let state = ApiState::serving(store, config.tokens.clone(), health, link);
	let router =
		api::router(state, config.max_body_bytes, Duration::from_secs(config.request_timeout_secs));
	let listener = tokio::net::TcpListener::bind(&config.listen)
		.await
		.map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
	let address = listener.local_addr().map_err(|e| e.to_string())?;
	println!("medchain-gateway: custodian {custodian}, device {}", keys.address());
	println!("medchain-gateway: listening on http://{address}");
	tracing::info!(%address, custodian, "serving");
	axum::serve(listener, router)
		.with_graceful_shutdown(shutdown_signal())
		.await
		.map_err(|e| format!("server: {e}"))?;
	tracing::info!("stopping: the pipeline finishes its round");
	let _ = stop.send(true);
	if tokio::time::timeout(Duration::from_secs(90), pipeline).await.is_err() {
		tracing::warn!("the pipeline did not stop in time; its outbox is kept");
	}
	Ok(())
}

async fn shutdown_signal() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	{
		use tokio::signal::unix::{signal, SignalKind};
		match signal(SignalKind::terminate()) {
			Ok(mut term) => {
				tokio::select! {
					_ = interrupt => {},
					_ = term.recv() => {},
				}
			},
			Err(_) => {
				let _ = interrupt.await;
			},
		}
	}
	#[cfg(not(unix))]
	let _ = interrupt.await;
}
