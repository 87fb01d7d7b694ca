//! Deterministic generators of realistic synthetic inputs, for benches, fuzz
//! seeds and tests (feature `generate`). The same seed and size always give
//! the same bytes.

/// A small deterministic pseudo-random generator (xorshift64*), so the
/// generators need no dependency and give the same bytes everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CITIES: &[(&str, &str, &str)] = &[
    ("TOLEDO", "OH", "43611"),
    ("LOUISVILLE", "KY", "40218"),
    ("CINCINNATI", "OH", "45202"),
    ("INDIANAPOLIS", "IN", "46204"),
    ("COLUMBUS", "OH", "43215"),
    ("NASHVILLE", "TN", "37203"),
    ("DETROIT", "MI", "48226"),
    ("CHICAGO", "IL", "60607"),
];

const STATUS: &[&str] = &["X3", "AF", "X6", "X1", "D1"];

/// X12 004010 interchanges of 204 load tenders and 214 status messages,
/// about `target_len` bytes in all, each interchange with its own control
/// number and one functional group of a few transaction sets. Envelopes are
/// consistent, so a check finds nothing.
///
/// # Examples
///
/// ```
/// let data = ediguard::generate::x12(7, 50_000);
/// assert!(data.len() >= 50_000);
/// assert!(ediguard::check(&data, &ediguard::Options::default()).unwrap().is_ok());
/// ```
pub fn x12(seed: u64, target_len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(target_len + 4096);
    let mut icn: u32 = 0;
    while out.len() < target_len {
        icn += 1;
        let sets = 1 + rng.below(4) as u32;
        let (kind, gs_code) = if rng.below(2) == 0 {
            ("204", "SM")
        } else {
            ("214", "QM")
        };
        out.extend_from_slice(
            format!(
                "ISA*00*          *00*          *ZZ*GLPAPER        *ZZ*NLFX           *261117*0850*U*00401*{icn:09}*0*P*>~\n\
                 GS*{gs_code}*GLPAPER*NLFX*20261117*0850*{icn}*X*004010~\n"
            )
            .as_bytes(),
        );
        for st in 1..=sets {
            let body = if kind == "204" {
                tender(&mut rng, icn, st)
            } else {
                status(&mut rng, icn, st)
            };
            let count = body.iter().filter(|&&b| b == b'~').count() + 2;
            out.extend_from_slice(format!("ST*{kind}*{st:04}~\n").as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(format!("SE*{count}*{st:04}~\n").as_bytes());
        }
        out.extend_from_slice(format!("GE*{sets}*{icn}~\nIEA*1*{icn:09}~\n").as_bytes());
    }
    out
}

fn tender(rng: &mut Rng, icn: u32, st: u32) -> Vec<u8> {
    let mut s = format!(
        "B2**NLFX**SH{icn:06}{st:02}**PP~\nB2A*00~\nL11*BOL{:06}*BM~\nL11*PRO{:06}*CN~\nG62*64*20261116*1*1400~\n",
        rng.below(1_000_000),
        rng.below(1_000_000)
    );
    let stops = 2 + rng.below(3);
    for stop in 1..=stops {
        let (city, state, zip) = *rng.pick(CITIES);
        let reason = if stop == 1 { "LD" } else { "UL" };
        s.push_str(&format!(
            "S5*{stop}*{reason}*{}*L*{}*PLT~\nG62*{}*20261117*{}*{:04}~\nN1*{}*STOP {stop} DOCK*93*{:06}~\nN3*{} INDUSTRIAL PKWY~\nN4*{city}*{state}*{zip}*US~\n",
            18_000 + rng.below(2_000),
            10 + rng.below(20),
            if stop == 1 { "69" } else { "70" },
            if stop == 1 { "I" } else { "G" },
            800 + rng.below(900),
            if stop == 1 { "SH" } else { "CN" },
            rng.below(1_000_000),
            100 + rng.below(9_000),
        ));
    }
    s.push_str(&format!(
        "L3*{}*G***{}~\n",
        18_000 + rng.below(2_000),
        100_000 + rng.below(200_000)
    ));
    s.into_bytes()
}

fn status(rng: &mut Rng, icn: u32, st: u32) -> Vec<u8> {
    let mut s = format!(
        "B10*PRO{:06}*SH{icn:06}{st:02}*NLFX~\nL11*BOL{:06}*BM~\nN1*SH*GREAT LAKES PAPER CO*93*GLP01~\nN4*TOLEDO*OH*43611*US~\n",
        rng.below(1_000_000),
        rng.below(1_000_000)
    );
    let events = 1 + rng.below(5);
    for e in 0..events {
        let (city, state, _) = *rng.pick(CITIES);
        s.push_str(&format!(
            "LX*{}~\nAT7*{}*NS***20261117*{:04}*ET~\nMS1*{city}*{state}*US~\nMS2*NLFX*TR5530*TL~\nL11*T1042*TL~\n",
            e + 1,
            STATUS[e as usize % STATUS.len()],
            800 + rng.below(900),
        ));
    }
    s.into_bytes()
}

const EDIFACT_TYPES: &[&str] = &["IFTMIN", "IFTSTA", "CUSCAR"];

/// UN/EDIFACT interchanges of IFTMIN, IFTSTA and CUSCAR messages (D:01B),
/// about `target_len` bytes in all. Every other interchange has a UNA
/// service string advice; free text carries escaped delimiters (`?'`, `?+`,
/// `?:`, `??`). Envelopes are consistent, so a check finds nothing.
///
/// # Examples
///
/// ```
/// let data = ediguard::generate::edifact(3, 20_000);
/// assert!(data.len() >= 20_000);
/// assert!(data.starts_with(b"UNA:+.? '"));
/// ```
pub fn edifact(seed: u64, target_len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(target_len + 4096);
    let mut icr: u32 = 0;
    while out.len() < target_len {
        icr += 1;
        if icr % 2 == 1 {
            out.extend_from_slice(b"UNA:+.? '");
        }
        out.extend_from_slice(
            format!("UNB+UNOC:3+NLFX:ZZZ+GLPAPER:ZZZ+261117:0850+{icr:08}'\n").as_bytes(),
        );
        let messages = 1 + rng.below(4) as u32;
        for m in 1..=messages {
            let kind = *rng.pick(EDIFACT_TYPES);
            let body = edifact_body(&mut rng, kind, icr, m);
            let count = body.iter().filter(|&&b| b == b'\'').count()
                - body.windows(2).filter(|w| w == b"?'").count()
                + 2;
            out.extend_from_slice(format!("UNH+{m:06}+{kind}:D:01B:UN'\n").as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(format!("UNT+{count}+{m:06}'\n").as_bytes());
        }
        out.extend_from_slice(format!("UNZ+{messages}+{icr:08}'\n").as_bytes());
    }
    out
}

fn edifact_body(rng: &mut Rng, kind: &str, icr: u32, m: u32) -> Vec<u8> {
    let (city, _, zip) = *rng.pick(CITIES);
    let mut s = format!(
        "BGM+{}+SH{icr:06}{m:02}+9'\nDTM+137:202611170850:203'\nRFF+BM:BOL{:06}'\n\
         NAD+CZ+GLPAPER::ZZZ++GREAT LAKES PAPER CO+1200 INDUSTRIAL PKWY+TOLEDO++43611+US'\n\
         NAD+CN+BGF01::ZZZ++O?'HARA ?+ BLUEGRASS FOODS DC+400 DISTRIBUTION DR+LOUISVILLE++40218+US'\n",
        match kind {
            "IFTMIN" => "610",
            "IFTSTA" => "77",
            _ => "785",
        },
        rng.below(1_000_000),
    );
    let items = 1 + rng.below(6);
    for i in 1..=items {
        s.push_str(&format!(
            "CNI+{i}+BOL{:06}'\nSTS+1+{}'\nLOC+175+{zip}::ZZZ:{city}'\nDTM+334:2026111{}{:04}:203'\n\
             FTX+AAI+++PALLETS 22?: PAPER TOWELS, RATIO 1??2'\nMEA+AAE+G+KGM:{}'\nEQD+TE+TR5530'\n",
            rng.below(1_000_000),
            rng.below(30),
            rng.below(8),
            800 + rng.below(900),
            8_000 + rng.below(1_000),
        ));
    }
    s.into_bytes()
}
