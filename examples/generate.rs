//! Writes a generated input of a given size: deterministic realistic X12,
//! EDIFACT or ELD documents for benchmarks and memory measurements.
//!
//! `cargo run --release --features generate --example generate -- FORMAT SIZE_MB OUT [SEED]`
//! where FORMAT is `x12` (004010 204/214), `x12-mixed` (204/214/856 in
//! 004010 and 005010), `edifact`, `eld` (a folder of 8 KB ELD files) or
//! `eld-one` (one large ELD file).

use std::path::Path;

use ediguard::generate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, size, out, rest @ ..] = args.as_slice() else {
        eprintln!("usage: generate x12|x12-mixed|edifact|eld|eld-one SIZE_MB OUT [SEED]");
        std::process::exit(2);
    };
    let bytes = size.parse::<usize>()? << 20;
    let seed = rest.first().map_or(Ok(1), |s| s.parse::<u64>())?;
    match format.as_str() {
        "x12" => std::fs::write(out, generate::x12(seed, bytes))?,
        "x12-mixed" => std::fs::write(
            out,
            generate::x12_with(seed, bytes, &generate::X12Options::mixed()),
        )?,
        "edifact" => std::fs::write(out, generate::edifact(seed, bytes))?,
        "eld" => {
            std::fs::create_dir_all(out)?;
            for (i, file) in generate::eld_files(seed, bytes).iter().enumerate() {
                std::fs::write(Path::new(out).join(format!("eld-{i:05}.csv")), file)?;
            }
        }
        "eld-one" => std::fs::write(out, generate::eld_file(seed, bytes))?,
        other => {
            eprintln!("unknown format {other:?}: x12, x12-mixed, edifact, eld or eld-one");
            std::process::exit(2);
        }
    }
    Ok(())
}
