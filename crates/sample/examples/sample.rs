//! Writes a sample: `cargo run -p mailcase-sample --release --example sample -- OUT_DIR [BYTES]`.

use mailcase_sample::{SampleOptions, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "sample-out".to_owned());
    let target_bytes = args.next().and_then(|s| s.parse().ok());
    let opts = SampleOptions {
        target_bytes,
        ..SampleOptions::default()
    };
    match generate(&opts, std::path::Path::new(&out)) {
        Ok(truth) => {
            for f in &truth.files {
                println!(
                    "{:<28} {:>10} records {:>12} bytes",
                    f.file, f.records, f.bytes
                );
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
