//! Helpers shared by the X12 integration tests.
#![allow(dead_code)]

use ediguard::{Finding, Options, Report};

/// A fixed-width ISA (106 bytes with its terminator) with the given
/// delimiters, ISA11, version and control number.
pub(crate) fn isa(
    element: char,
    component: char,
    isa11: char,
    version: &str,
    control: &str,
    terminator: &str,
) -> String {
    let e = element;
    let s = format!(
        "ISA{e}00{e}          {e}00{e}          {e}ZZ{e}SENDER         {e}ZZ{e}RECEIVER       {e}240101{e}1200{e}{isa11}{e}{version}{e}{control}{e}0{e}P{e}{component}{terminator}"
    );
    s
}

/// A complete, correct interchange with `~`, `*`, `>` and one group holding
/// one 214 with `body` segments between ST and SE (each without terminator).
pub(crate) fn interchange(control: &str, body: &[&str]) -> String {
    let mut s = isa('*', '>', 'U', "00401", control, "~");
    s.push_str("GS*QM*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*214*0001~");
    for seg in body {
        s.push_str(seg);
        s.push('~');
    }
    s.push_str(&format!(
        "SE*{}*0001~GE*1*1~IEA*1*{control}~",
        body.len() + 2
    ));
    s
}

/// Runs the X12 check with default options.
pub(crate) fn check(input: &[u8]) -> Report {
    ediguard::integrity::x12::check(input, &Options::default()).expect("readable X12")
}

/// The rule codes of a report, in order.
pub(crate) fn rules(report: &Report) -> Vec<&'static str> {
    report.findings().iter().map(|f| f.rule).collect()
}

/// The findings of one rule.
pub(crate) fn of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Finding> {
    report
        .findings()
        .iter()
        .filter(|f| f.rule == rule)
        .collect()
}
