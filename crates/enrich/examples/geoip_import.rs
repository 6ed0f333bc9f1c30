//! Runs [`mailcase_enrich::ip_location_db::import`] without the CLI:
//! `cargo run -p mailcase-enrich --example geoip_import -- SRC_DIR OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [src, out] = args.as_slice() else {
        eprintln!("usage: geoip_import SRC_DIR OUT_DIR");
        std::process::exit(2);
    };
    match mailcase_enrich::ip_location_db::import(src, out) {
        Ok(summary) => println!("{summary:#?}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
