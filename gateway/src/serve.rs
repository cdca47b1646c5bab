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
//! 5. The exchange worker (`exchange/worker.rs`) runs beside the pipeline, signing with the
//!    same device key under the same signing lock; it needs the chain's genesis hash, learnt
//!    at the first start with the node.

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
	// Checked before anything else, so a wrong directory is said at once (webapp rule 1).
	let app = config.app_dir.as_deref().map(crate::webapp::WebApp::open).transpose()?;
	let keys = DeviceKeys::load(data_dir).map_err(|e| e.to_string())?;
	let device = chain::account(&keys.signing);
	let memory = match chain::connect(&config.node).await {
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
			let genesis = crate::exchange::onchain::genesis(&ws)
				.await
				.map_err(|e| format!("cannot read the genesis hash: {e}"))?;
			let memory = ChainMemory {
				custodian: standing.institution,
				genesis: Some(medchain_client::to_hex(&genesis)),
			};
			memory.save(data_dir).map_err(|e| e.to_string())?;
			memory
		},
		Err(e) => match ChainMemory::load(data_dir) {
			Some(memory) => {
				tracing::warn!(error = %e, "node unreachable: starting degraded, records are queued");
				memory
			},
			None => {
				return Err(format!(
					"node {} unreachable ({e}) and this gateway never checked its device on chain",
					config.node
				))
			},
		},
	};
	let custodian = memory.custodian;
	let mut store = Store::open(data_dir).map_err(|e| e.to_string())?;
	store.set_reserve(config.min_free_bytes);
	let store = Arc::new(RwLock::new(store));
	let health = Arc::new(Health::default());
	let (stop, stopped) = tokio::sync::watch::channel(false);
	let signer = chain::Signer::new(keys.signing.clone());
	let pipeline = Pipeline {
		store: store.clone(),
		device: keys.signing.clone(),
		custodian,
		url: config.node.clone(),
		health: health.clone(),
		limits: Limits::default(),
		nonces: signer.nonces.clone(),
	};
	let pipeline = tokio::spawn(pipeline.run(stopped.clone()));
	let link = Arc::new(ChainLink::new(&config.node, custodian));
	let mut state = ApiState::serving(store.clone(), config.tokens.clone(), health, link)
		.with_signer(signer.clone());
	if let Some(app) = app {
		state = state.with_app(app);
	}
	// Rule 5: the exchange between gateways, through the configured relay.
	let genesis = memory.genesis.as_deref().and_then(chain::bytes32);
	let exchange = match genesis {
		Some(genesis) => {
			let relay = match &config.relay {
				Some(url) => {
					let mut client = medchain_relay::client::RelayClient::new(
						url,
						genesis,
						keys.signing.clone(),
					)
					.map_err(|e| e.to_string())?;
					client.chunk = config.relay_chunk_bytes.max(1);
					Some(client)
				},
				None => None,
			};
			let context = Arc::new(crate::exchange::Context {
				store,
				signer,
				institution: custodian,
				encryption: zeroize::Zeroizing::new(keys.encryption.to_bytes()),
				genesis,
				relay,
				work: data_dir.join("exchanges"),
				max_document: config.max_body_bytes as u64,
			});
			state = state.with_exchange(context.clone());
			let worker = crate::exchange::worker::run(context, config.node.clone(), stopped);
			Some(tokio::spawn(worker))
		},
		None => {
			tracing::warn!("the genesis hash is not known yet: exchanges start with the node");
			None
		},
	};
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
	if let Some(worker) = exchange {
		let _ = tokio::time::timeout(Duration::from_secs(30), worker).await;
	}
	Ok(())
}

use medchain_relay::serve::shutdown_signal;
