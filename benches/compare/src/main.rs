//! Comparison harness: one job on one file per process, so that every
//! measurement (wall time, peak RSS) is of a whole process.
//!
//! ```text
//! compare run TOOL MODE FILE     parse FILE with TOOL; print what was seen
//! compare rss CMD [ARG...]       run CMD, print "SECONDS PEAK_RSS_KB" to stderr
//! compare one-una IN OUT         IN without the UNAs after its first segment
//! ```
//!
//! TOOL is `ediguard`, `x12-stream-parser`, `edi`, `edifact-parser`,
//! `edifact-rs` or `memchr`; MODE is `tokenize` (split every segment into
//! elements and count them) or `check` (the tool's best integrity mode:
//! envelope control numbers and counts where the tool has them). The
//! result is one line, `segments=N elements=N findings=N`, so the script
//! can see that each tool really parsed the input. `ediguard check` is not
//! run here: the script times the real CLI binary.
//!
//! `rss` is the fallback for machines without `/usr/bin/time`: it reads
//! the child's peak RSS from `getrusage(RUSAGE_CHILDREN)`.

use std::process::ExitCode;
use std::time::Instant;

/// What one run saw.
#[derive(Debug, Default)]
struct Seen {
    segments: u64,
    elements: u64,
    /// Envelope findings (check mode), or tokenizer errors.
    findings: u64,
    /// Anything else worth printing (`key=value`).
    extra: Option<String>,
}

type Outcome = Result<Seen, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["run", tool, mode, file] => run(tool, mode, file),
        ["rss", cmd @ ..] if !cmd.is_empty() => return rss(cmd),
        ["one-una", input, output] => one_una(input, output),
        _ => Err(
            "usage: compare run TOOL tokenize|check FILE | rss CMD [ARG...] | one-una IN OUT"
                .to_string(),
        ),
    };
    match result {
        Ok(seen) => {
            print!(
                "segments={} elements={} findings={}",
                seen.segments, seen.elements, seen.findings
            );
            match seen.extra {
                Some(extra) => println!(" {extra}"),
                None => println!(),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("compare: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(tool: &str, mode: &str, file: &str) -> Outcome {
    let data = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let check = match mode {
        "tokenize" => false,
        "check" => true,
        other => return Err(format!("unknown mode {other:?}: tokenize or check")),
    };
    let x12 = data.starts_with(b"ISA");
    match (tool, check) {
        ("ediguard", false) if x12 => ediguard_x12(&data),
        ("ediguard", false) => ediguard_edifact(&data),
        ("ediguard", true) => Err("ediguard check is timed through its CLI".into()),
        ("memchr", _) => {
            // The floor: count segment terminators. The count alone is
            // timed too, for the in-memory rate beside the whole process.
            let start = Instant::now();
            let segments =
                memchr::memchr_iter(if x12 { b'~' } else { b'\'' }, &data).count() as u64;
            let secs = start.elapsed().as_secs_f64();
            Ok(Seen {
                segments,
                extra: Some(format!(
                    "in_memory_mb_s={:.0}",
                    data.len() as f64 / secs.max(1e-9) / 1e6
                )),
                ..Seen::default()
            })
        }
        ("x12-stream-parser", false) => x12_stream_parser(&data),
        ("edi", _) => edi_crate(&data, check),
        ("edifact-parser", false) => edifact_parser(&data),
        ("edifact-rs", _) => edifact_rs(&data, check),
        ("x12-stream-parser" | "edifact-parser", true) => Err(format!(
            "{tool} has no integrity checks: its best mode is tokenize"
        )),
        _ => Err(format!("unknown tool {tool:?}")),
    }
}

/// ediguard's X12 parser: interchange framing, then every segment split
/// into elements through the borrowed views.
fn ediguard_x12(data: &[u8]) -> Outcome {
    let mut seen = Seen::default();
    for ic in ediguard::x12::Parser::new(data).interchanges() {
        let ic = ic.map_err(|e| e.to_string())?;
        seen.findings += ic
            .framing()
            .iter()
            .filter(|f| f.severity >= ediguard::Severity::Warning)
            .count() as u64;
        for seg in ic.segments() {
            seen.segments += 1;
            seen.elements += seg.elements().count() as u64;
        }
    }
    Ok(seen)
}

/// ediguard's EDIFACT parser, one interchange at a time, then every
/// segment split into elements.
fn ediguard_edifact(data: &[u8]) -> Outcome {
    let mut seen = Seen::default();
    let mut interchanges = ediguard::edifact::Parser::new(data).interchanges();
    while let Some(ic) = interchanges.next() {
        let ic = ic.map_err(|e| e.to_string())?;
        for seg in ic.segments() {
            seen.segments += 1;
            seen.elements += seg.elements().count() as u64;
        }
        interchanges.recycle(ic);
    }
    // Line breaks between segments are noted, not wrong.
    seen.findings = interchanges
        .notes()
        .iter()
        .filter(|n| n.kind != ediguard::edifact::NoteKind::LineBreaks)
        .count() as u64;
    Ok(seen)
}

/// `x12-stream-parser`: a segment iterator given the delimiters, which the
/// caller reads from the ISA (element separator at byte 3, component
/// separator and segment terminator at 104 and 105). It reports bytes after
/// the last terminator as an unterminated segment, so trailing line breaks
/// are trimmed first, as a user of it must.
fn x12_stream_parser(data: &[u8]) -> Outcome {
    use x12_stream_parser::{Delimiters, Parser};
    if data.len() < 106 {
        return Err("too short for an ISA".into());
    }
    let end = data.len()
        - data
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    let delimiters = Delimiters::new(data[105], data[3], data[104]);
    let mut seen = Seen::default();
    for seg in Parser::new(&data[..end], delimiters) {
        match seg {
            Ok(seg) => {
                seen.segments += 1;
                seen.elements += seg.elements().count() as u64;
            }
            Err(_) => seen.findings += 1,
        }
    }
    Ok(seen)
}

/// `edi` 0.4: `loose_parse` (tokenize and build the document, no trailer
/// checks) or `parse` (also checks SE01, GE01, IEA01 and the control
/// numbers, stopping at the first mismatch). Both take `&str`.
fn edi_crate(data: &[u8], check: bool) -> Outcome {
    let text = std::str::from_utf8(data).map_err(|e| e.to_string())?;
    let parsed = if check {
        edi::parse(text)
    } else {
        edi::loose_parse(text)
    };
    let doc = match parsed {
        Ok(doc) => doc,
        // A failed check is a finding, but then nothing was counted.
        Err(e) => return Err(format!("edi rejected the input: {e:?}")),
    };
    let mut seen = Seen::default();
    for ic in &doc.interchanges {
        seen.segments += 2;
        for g in &ic.functional_groups {
            seen.segments += 2;
            for t in &g.transactions {
                seen.segments += 2 + t.segments.len() as u64;
                seen.elements += t
                    .segments
                    .iter()
                    .map(|s| s.elements.len() as u64)
                    .sum::<u64>();
            }
        }
    }
    Ok(seen)
}

/// `edifact-parser` 0.38: the SAX-style stream parser with a handler that
/// counts segments and elements. It has no envelope checks.
fn edifact_parser(data: &[u8]) -> Outcome {
    use edifact_parser::{EdifactHandler, EdifactStreamParser, ParseError};
    use edifact_primitives::{Control, RawSegment};

    #[derive(Default)]
    struct Counter(Seen);
    impl EdifactHandler for Counter {
        fn on_segment(&mut self, seg: &RawSegment) -> Control {
            self.0.segments += 1;
            self.0.elements += seg.elements.len() as u64;
            Control::Continue
        }
        fn on_error(&mut self, _error: ParseError) -> Control {
            self.0.findings += 1;
            Control::Continue
        }
    }
    let mut counter = Counter::default();
    EdifactStreamParser::parse(data, &mut counter).map_err(|e| e.to_string())?;
    Ok(counter.0)
}

/// `edifact-rs` 0.18: `from_bytes` (zero-copy segments; tokenize counts
/// them as they stream), and for `check` the segments collected and each
/// UNB..UNZ interchange passed to `validate_envelope_lenient` (control
/// references, all three counts, structure; every error, not the first).
fn edifact_rs(data: &[u8], check: bool) -> Outcome {
    let mut seen = Seen::default();
    if !check {
        for seg in edifact_rs::from_bytes(data) {
            let seg = seg.map_err(|e| e.to_string())?;
            seen.segments += 1;
            seen.elements += seg.elements.len() as u64;
        }
        return Ok(seen);
    }
    let segments = edifact_rs::from_bytes(data)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut start = 0;
    for (i, seg) in segments.iter().enumerate() {
        seen.segments += 1;
        seen.elements += seg.elements.len() as u64;
        if seg.tag == "UNB" {
            start = i;
        } else if seg.tag == "UNZ" {
            let result = edifact_rs::validate_envelope_lenient(&segments[start..=i]);
            seen.findings += result.errors.len() as u64;
            if result.interchange.is_none() {
                seen.findings += 1;
            }
        }
    }
    Ok(seen)
}

/// The default service string advice the generator writes.
const UNA: &[u8] = b"UNA:+.? '";

/// `input` without the UNA segments that follow the first segment. The
/// generator writes a UNA before every other interchange; each states the
/// default service characters, so the interchanges mean the same without
/// them. For peers that take a UNA only at the very start.
fn without_inner_una(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    if rest.starts_with(UNA) {
        out.extend_from_slice(UNA);
        rest = &rest[UNA.len()..];
    }
    let finder = memchr::memmem::Finder::new(UNA);
    while let Some(i) = finder.find(rest) {
        // Only a UNA that starts a segment: after a terminator and line
        // breaks (the generator never writes one inside a value).
        let before = rest[..i].iter().rev().find(|b| !b.is_ascii_whitespace());
        let at_segment_start = matches!(before, Some(b'\'') | None);
        out.extend_from_slice(&rest[..i]);
        if !at_segment_start {
            out.extend_from_slice(UNA);
        }
        rest = &rest[i + UNA.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn one_una(input: &str, output: &str) -> Outcome {
    let data = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let out = without_inner_una(&data);
    std::fs::write(output, &out).map_err(|e| format!("{output}: {e}"))?;
    Ok(Seen {
        segments: memchr::memmem::find_iter(&data, UNA).count() as u64
            - memchr::memmem::find_iter(&out, UNA).count() as u64,
        ..Seen::default()
    })
}

/// Runs `cmd`, then prints its wall time in seconds and its peak RSS in
/// KiB to stderr, as `/usr/bin/time -f '%e %M'` does.
fn rss(cmd: &[&str]) -> ExitCode {
    let start = Instant::now();
    let status = match std::process::Command::new(cmd[0]).args(&cmd[1..]).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("compare: {}: {e}", cmd[0]);
            return ExitCode::FAILURE;
        }
    };
    let secs = start.elapsed().as_secs_f64();
    match peak_rss_children_kib() {
        Some(kib) => eprintln!("{secs:.2} {kib}"),
        None => eprintln!("{secs:.2} ?"),
    }
    if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Peak RSS of the waited-for children, in KiB (Linux reports `ru_maxrss`
/// in KiB).
fn peak_rss_children_kib() -> Option<i64> {
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).ok()?;
    Some(usage.max_rss())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ediguard::generate;

    fn write(name: &str, bytes: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("ediguard-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn assert_close(tool: &str, mode: &str, seen: &Seen, reference: &Seen) {
        let diff = seen.segments.abs_diff(reference.segments);
        assert!(
            diff * 100 <= reference.segments,
            "{tool} {mode}: {} segments, ediguard {}",
            seen.segments,
            reference.segments
        );
        assert_eq!(seen.findings, 0, "{tool} {mode}");
    }

    /// Every peer parses the generated inputs it is given by the script
    /// and sees the segments that ediguard sees, with no findings on clean
    /// input; the modes a tool lacks say so.
    #[test]
    fn every_tool_sees_the_generated_segments() {
        let x12 = write(
            "mixed.x12",
            &generate::x12_with(1, 200_000, &generate::X12Options::mixed()),
        );
        let reference = run("ediguard", "tokenize", &x12).unwrap();
        assert!(reference.segments > 1000);
        assert_eq!(reference.findings, 0);
        // The floor counts terminators: exactly the segments in X12.
        assert_eq!(
            run("memchr", "tokenize", &x12).unwrap().segments,
            reference.segments
        );
        for (tool, mode) in [
            ("x12-stream-parser", "tokenize"),
            ("edi", "tokenize"),
            ("edi", "check"),
        ] {
            assert_close(tool, mode, &run(tool, mode, &x12).unwrap(), &reference);
        }
        assert!(run("x12-stream-parser", "check", &x12).is_err());

        let raw = generate::edifact(1, 200_000);
        let edifact = write("mixed.edi", &raw);
        let one_una = write("one-una.edi", &without_inner_una(&raw));
        let reference = run("ediguard", "tokenize", &edifact).unwrap();
        assert!(reference.segments > 1000);
        assert_eq!(reference.findings, 0);
        assert_eq!(
            run("ediguard", "tokenize", &one_una).unwrap().segments,
            reference.segments
        );
        assert_close(
            "edifact-parser",
            "tokenize",
            &run("edifact-parser", "tokenize", &edifact).unwrap(),
            &reference,
        );
        assert!(run("edifact-parser", "check", &edifact).is_err());
        for mode in ["tokenize", "check"] {
            // A UNA after the first segment is refused, so edifact-rs gets
            // the same interchanges with only the leading UNA.
            let refused = run("edifact-rs", mode, &edifact).unwrap_err();
            assert!(refused.contains("UNA"), "{refused}");
            assert_close(
                "edifact-rs",
                mode,
                &run("edifact-rs", mode, &one_una).unwrap(),
                &reference,
            );
        }
    }

    #[test]
    fn only_inner_una_segments_are_dropped() {
        let input = b"UNA:+.? 'UNB+x'UNZ+1'\nUNA:+.? 'UNB+y'FTX+UNA:+.? 'UNZ+1'";
        assert_eq!(
            without_inner_una(input),
            b"UNA:+.? 'UNB+x'UNZ+1'\nUNB+y'FTX+UNA:+.? 'UNZ+1'".to_vec()
        );
    }

    /// The check modes notice a broken count.
    #[test]
    fn check_modes_find_a_wrong_count() {
        let edifact = without_inner_una(&generate::edifact(2, 20_000));
        let text = String::from_utf8(edifact).unwrap();
        let broken = text.replacen("UNZ+", "UNZ+9", 1);
        let file = write("broken.edi", broken.as_bytes());
        assert!(run("edifact-rs", "check", &file).unwrap().findings > 0);
        assert_eq!(run("edifact-rs", "tokenize", &file).unwrap().findings, 0);

        let x12 = String::from_utf8(generate::x12(2, 20_000)).unwrap();
        let broken = x12.replacen("GE*", "GE*9", 1);
        let file = write("broken.x12", broken.as_bytes());
        assert!(run("edi", "check", &file).is_err());
        assert!(run("edi", "tokenize", &file).is_ok());
    }
}
