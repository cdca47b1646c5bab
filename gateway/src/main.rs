//! `medchain-gateway`: the hospital gateway's command line. So far: `init` (issue 14 builds
//! `serve`, `import` and `bench` next; docs/gateway.md).
//!
//! Exit codes: 0 done, 1 a failure (message on stderr), 2 bad usage (clap).

use clap::{Parser, Subcommand};
use medchain_gateway::keys::DeviceKeys;
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "medchain-gateway", about = "The MedChain hospital gateway")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Create the device's keys in a new data directory and print what the institution's
	/// admin registers on chain.
	Init {
		/// The gateway's data directory.
		#[arg(long)]
		data_dir: PathBuf,
	},
}

fn main() -> ExitCode {
	match Cli::parse().command {
		Command::Init { data_dir } => match DeviceKeys::create(&data_dir) {
			Ok(keys) => {
				let key: String =
					keys.encryption_public().iter().map(|b| format!("{b:02x}")).collect();
				println!("device address:   {}", keys.address());
				println!("encryption key:   0x{key}");
				println!("data directory:   {}", data_dir.display());
				println!();
				println!("Next: the institution's admin registers the device");
				println!("  (institutions::add_device {}),", keys.address());
				println!("then the gateway publishes its encryption key");
				println!("  (institutions::set_encryption_key, signed by the device).");
				ExitCode::SUCCESS
			},
			Err(e) => {
				eprintln!("medchain-gateway init: {e}");
				ExitCode::from(1)
			},
		},
	}
}
