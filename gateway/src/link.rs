//! The API's own connection to the node (the pipeline has its own): made on first use and
//! again after it broke, so that the API keeps answering when the node is away. Used to check
//! that a record's patient is a pseudonym of this hospital and to answer `POST /verify`.

use crate::chain;
use medchain_client::{ws::WsClient, Error as ClientError};
use std::{
	collections::HashSet,
	sync::{Arc, Mutex},
	time::Duration,
};

/// How long the API waits for the node before answering without it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The node the API asks, and what it learnt.
pub struct ChainLink {
	url: String,
	custodian: u32,
	client: tokio::sync::Mutex<Option<Arc<WsClient>>>,
	/// Pseudonyms the chain confirmed as this hospital's patients (a registration is never
	/// moved to another custodian, so the answer does not go stale).
	patients: Mutex<HashSet<[u8; 32]>>,
}

impl ChainLink {
	/// A link to the node at `url` for the gateway of `custodian`.
	pub fn new(url: &str, custodian: u32) -> Self {
		ChainLink {
			url: url.to_string(),
			custodian,
			client: tokio::sync::Mutex::new(None),
			patients: Mutex::new(HashSet::new()),
		}
	}

	/// The custodian this gateway anchors for.
	pub fn custodian(&self) -> u32 {
		self.custodian
	}

	/// A connected client, connecting if needed.
	pub async fn client(&self) -> Result<Arc<WsClient>, ClientError> {
		let mut slot = self.client.lock().await;
		if let Some(client) = slot.as_ref().filter(|c| c.is_connected()) {
			return Ok(client.clone());
		}
		let client = Arc::new(WsClient::connect(&self.url, CONNECT_TIMEOUT).await?);
		*slot = Some(client.clone());
		Ok(client)
	}

	/// Whether `patient` is a pseudonym registered at this hospital: `Some(answer)`, or `None`
	/// when the node cannot be asked now.
	pub async fn is_our_patient(&self, patient: &[u8; 32]) -> Option<bool> {
		if self.patients.lock().is_ok_and(|p| p.contains(patient)) {
			return Some(true);
		}
		let client = self.client().await.ok()?;
		let ours = chain::is_patient_of(&client, patient, self.custodian).await.ok()?;
		if ours {
			if let Ok(mut p) = self.patients.lock() {
				p.insert(*patient);
			}
		}
		Some(ours)
	}
}
