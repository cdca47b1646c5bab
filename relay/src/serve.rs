//! `medchain-relay serve`: checks the relay's device on chain, then runs the API and the
//! sweeper until SIGINT or SIGTERM.
//!
//! Start-up rules:
//! 1. The device must be a device of an active relay operator (kind `RelayOperator`) at the
//!    finalized block (a registration still in an unfinalized block is waited for);
//!    otherwise the relay refuses to start and says what the operator's admin must do.
//! 2. The mailbox is repaired before the API opens (partial uploads cut to their recorded
//!    offsets), so a resumed upload continues from bytes that are on disk.
//! 3. On SIGINT/SIGTERM the API stops accepting calls and finishes those in progress; the
//!    sweeper stops after its pass.

use crate::{
	api,
	chain::{ChainView, NodeChain},
	config::{self, Config},
	mailbox::Mailbox,
	state::Relay,
	sweep::{self, Anchorer},
};
use medchain_runtime::AccountId;
use pallet_institutions::InstitutionKind;
use sp_core::{crypto::Ss58Codec, Pair};
use std::{path::Path, sync::Arc, time::Duration};

/// How long a call may take before its answer starts (a download streams on after).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(300);

/// Runs the relay in `data_dir` with `config`; returns when it was stopped, or why it could
/// not start.
pub async fn serve(data_dir: &Path, config: Config) -> Result<(), String> {
	let device = config::load_device_key(data_dir).map_err(|e| e.to_string())?;
	let address = device.public().to_ss58check();
	let chain = NodeChain::connect(&config.node)
		.await
		.map_err(|e| format!("cannot reach the node {}: {e}", config.node))?;
	let account = AccountId::from(device.public());
	let member = registration(&chain, &account).await.map_err(|e| e.to_string())?;
	let institution = match member {
		Some(m) if m.kind == InstitutionKind::RelayOperator => m.institution,
		Some(m) => {
			return Err(format!(
				"refusing to start: the device's institution {} is a {:?}, not a relay operator",
				m.institution, m.kind
			))
		},
		None => {
			return Err(format!(
				"refusing to start: {address} is not a device of an active institution at the \
				 finalized block: the relay operator's admin adds it first (institutions::add_device)"
			))
		},
	};
	let client = chain.client().await.map_err(|e| e.to_string())?;
	let mailbox = Mailbox::open(data_dir, config.max_packages).map_err(|e| e.to_string())?;
	let listen = config.listen.clone();
	let relay = Arc::new(
		Relay::new(Arc::new(chain), Arc::new(mailbox), config, institution)
			.map_err(|e| e.to_string())?,
	);
	let (stop, stopped) = tokio::sync::watch::channel(false);
	let sweeper =
		tokio::spawn(sweep::run(relay.clone(), Some(Anchorer { client, device }), stopped));
	let listener = tokio::net::TcpListener::bind(&listen)
		.await
		.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
	let bound = listener.local_addr().map_err(|e| e.to_string())?;
	println!("medchain-relay: relay operator {institution}, device {address}");
	println!("medchain-relay: listening on http://{bound}");
	tracing::info!(%bound, institution, "serving");
	axum::serve(listener, api::router(relay, ANSWER_TIMEOUT))
		.with_graceful_shutdown(shutdown_signal())
		.await
		.map_err(|e| format!("server: {e}"))?;
	let _ = stop.send(true);
	let _ = tokio::time::timeout(Duration::from_secs(70), sweeper).await;
	Ok(())
}

/// How long `serve` waits for a registration in a block to become final.
const FINALITY_WAIT: Duration = Duration::from_secs(120);

/// The device's institution at the finalized block; a registration already in the best block
/// but not final yet is waited for (rule 1), at most [`FINALITY_WAIT`].
async fn registration(
	chain: &NodeChain,
	account: &AccountId,
) -> Result<Option<crate::chain::Member>, crate::Error> {
	let started = std::time::Instant::now();
	loop {
		let at = chain.finalized().await?;
		if let Some(member) = chain.member(account, &at).await? {
			return Ok(Some(member));
		}
		let best =
			chain.client().await?.request("chain_getBlockHash", serde_json::json!([])).await?;
		let best = crate::chain::Finalized {
			number: 0,
			hash: best.as_str().unwrap_or_default().to_string(),
		};
		if chain.member(account, &best).await?.is_none() || started.elapsed() > FINALITY_WAIT {
			return Ok(None);
		}
		tracing::info!("the device's registration is in a block, not final yet: waiting");
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
	let interrupt = tokio::signal::ctrl_c();
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
