//! EDISIG v1 detached signatures (`edi-security.md` §4.3): `Key`,
//! `KeyRing`, `sign`, `verify`, `Verifier`, `Verified`, the
//! `SignatureError` exception, and `secure_edifact` (EDIFACT integrated
//! security, the §1.8 profile).
//!
//! Secrets never cross back into Python: no attribute, `repr` or message
//! shows them (the crate's errors never contain key material either).
//!
//! A shared HMAC key gives integrity and authentication between the two key
//! holders only, never non-repudiation (§4.3).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use ediguard::integrity::edifact_security::{SecureParams, secure_interchange};
use ediguard::integrity::edisig::{
    self, Canon, Key, KeyRing, MemoryReplayCache, Nonce, PayloadType, SignParams,
    SignatureError as RustSignatureError, Verified, VerifyOptions,
};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyMapping};

use crate::errors::{EdiguardError, Failure};
use crate::input::Input;
use crate::ledger::{AnyLedger, outcome};

create_exception!(
    ediguard,
    SignatureError,
    EdiguardError,
    "A signature could not be made or did not verify. `code` is the stable snake_case \
     reason (malformed, unsupported_version, unknown_key, key_not_valid_now, \
     algorithm_mismatch, canon_not_allowed, stale, from_future, length_mismatch, \
     bad_signature, replay, control_mismatch, envelope_unreadable, sender_not_authorized, \
     receiver_not_ours, limit, duplicate, control_number_conflict, ledger), `rule` the \
     rule code a report would carry, and `verified` the `Verified` result when only the \
     ledger step failed (duplicate, control_number_conflict), else None."
);

/// Largest key ring file read, in bytes.
const MAX_KEYRING_LEN: usize = 16 << 20;
/// Replay cache entries of a `Verifier` by default.
const DEFAULT_CACHE: usize = 100_000;

fn signature_error(py: Python<'_>, e: &RustSignatureError, verified: Option<PyVerified>) -> PyErr {
    let err = SignatureError::new_err(e.to_string());
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("code", e.code())?;
        value.setattr("rule", e.rule().code)?;
        match verified {
            Some(v) => value.setattr("verified", Py::new(py, v)?),
            None => value.setattr("verified", py.None()),
        }
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

fn key_error(e: edisig::KeyError) -> PyErr {
    EdiguardError::new_err(e.to_string())
}

fn canon(name: &str) -> PyResult<Canon> {
    Canon::parse(name).ok_or_else(|| {
        PyValueError::new_err(format!("canon must be 'raw' or 'eol1', got {name:?}"))
    })
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// One EDISIG key: a secret of at least 32 bytes pinned to hmac-sha256,
/// the partner it belongs to, the sender ids the partner may use, the
/// canonicalisations allowed and a validity period (Unix seconds,
/// inclusive). The secret is never shown.
#[pyclass(name = "Key", module = "ediguard", frozen)]
pub(crate) struct PyKey {
    inner: Key,
    canon: Vec<Canon>,
    not_before: Option<i64>,
    not_after: Option<i64>,
    secret_len: usize,
}

#[pymethods]
impl PyKey {
    #[new]
    #[pyo3(signature = (secret, *, partner="", senders=None, canon=None, not_before=None, not_after=None, revoked=false))]
    fn new(
        secret: Vec<u8>,
        partner: &str,
        senders: Option<Vec<String>>,
        canon: Option<Vec<String>>,
        not_before: Option<i64>,
        not_after: Option<i64>,
        revoked: bool,
    ) -> PyResult<Self> {
        let secret_len = secret.len();
        let mut key = Key::new(secret)
            .map_err(key_error)?
            .with_partner(partner)
            .with_senders(senders.unwrap_or_default())
            .valid_between(not_before, not_after);
        let mut canons = vec![Canon::Raw];
        if let Some(names) = canon {
            canons.clear();
            for name in &names {
                let c = self::canon(name)?;
                if !canons.contains(&c) {
                    canons.push(c);
                }
            }
        }
        // `Key::new` allows raw; a list without it withdraws nothing the
        // crate lets us withdraw, so raw stays allowed only when listed.
        if !canons.contains(&Canon::Raw) {
            return Err(PyValueError::new_err(
                "canon must include 'raw' (every key allows it)",
            ));
        }
        for c in &canons {
            key = key.allow_canon(*c);
        }
        if revoked {
            key = key.revoke();
        }
        Ok(PyKey {
            inner: key,
            canon: canons,
            not_before,
            not_after,
            secret_len,
        })
    }

    /// The partner the key belongs to.
    #[getter]
    fn partner(&self) -> &str {
        self.inner.partner()
    }

    /// The sender ids (ISA06, UNB S002 0004) the partner may send under.
    #[getter]
    fn senders(&self) -> Vec<String> {
        self.inner.senders().to_vec()
    }

    /// The allowed canonicalisations ("raw", "eol1").
    #[getter]
    fn canon(&self) -> Vec<&'static str> {
        self.canon.iter().map(|c| c.as_str()).collect()
    }

    /// Start of validity, Unix seconds, or None.
    #[getter]
    fn not_before(&self) -> Option<i64> {
        self.not_before
    }

    /// End of validity, Unix seconds, or None.
    #[getter]
    fn not_after(&self) -> Option<i64> {
        self.not_after
    }

    /// True when the key is revoked.
    #[getter]
    fn revoked(&self) -> bool {
        self.inner.is_revoked()
    }

    /// The pinned algorithm, "hmac-sha256".
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "Key(partner={:?}, senders={:?}, canon={:?}, not_before={}, not_after={}, revoked={}, secret=<{} bytes>)",
            self.inner.partner(),
            self.inner.senders(),
            self.canon(),
            self.not_before.map_or("None".to_owned(), |t| t.to_string()),
            self.not_after.map_or("None".to_owned(), |t| t.to_string()),
            if self.inner.is_revoked() {
                "True"
            } else {
                "False"
            },
            self.secret_len
        )
    }
}

/// Key id → `Key`. Build one from a mapping (`KeyRing({"kid": Key(...)})`),
/// a JSON text (`KeyRing.from_json`) or a JSON file (`KeyRing.load`).
/// Immutable; never shows a secret.
#[pyclass(name = "KeyRing", module = "ediguard", frozen)]
pub(crate) struct PyKeyRing {
    /// Shared, so `check` hands it to `Options::with_keyring` uncopied.
    pub(crate) inner: Arc<KeyRing>,
}

#[pymethods]
impl PyKeyRing {
    #[new]
    #[pyo3(signature = (keys=None))]
    fn new(keys: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut ring = KeyRing::new();
        if let Some(keys) = keys {
            let map = keys
                .cast::<PyMapping>()
                .map_err(|_| PyTypeError::new_err("keys must be a mapping of key id to Key"))?;
            for item in map.items()?.iter() {
                let (kid, key): (String, Bound<'_, PyKey>) = item.extract()?;
                ring.insert(kid, key.get().inner.clone())
                    .map_err(key_error)?;
            }
        }
        Ok(PyKeyRing {
            inner: Arc::new(ring),
        })
    }

    /// Parses the JSON key ring format (`{"keys": [{"kid": ..., "secret_hex":
    /// ... | "secret_base64": ..., "partner": ..., "senders": [...], "canon":
    /// [...], "not_before": ..., "not_after": ..., "revoked": ...}]}`).
    /// Raises `EdiguardError` (a ValueError) without quoting any secret.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        KeyRing::from_json(text)
            .map(|ring| PyKeyRing {
                inner: Arc::new(ring),
            })
            .map_err(key_error)
    }

    /// Reads a JSON key ring file (at most 16 MiB); raises `OSError` when it
    /// cannot be read and `EdiguardError` when it is not a key ring.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = Input::Path(path).into_owned(py, MAX_KEYRING_LEN)?;
        if bytes.len() > MAX_KEYRING_LEN {
            return Err(EdiguardError::new_err("key ring file is over 16 MiB"));
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| EdiguardError::new_err("key ring file is not UTF-8"))?;
        PyKeyRing::from_json(text)
    }

    /// The key ids, sorted.
    #[getter]
    fn kids(&self) -> Vec<String> {
        self.inner.kids().map(str::to_owned).collect()
    }

    /// The partner of key `kid`, or None when the ring has no such key.
    fn partner(&self, kid: &str) -> Option<String> {
        self.inner.key(kid).map(|k| k.partner().to_owned())
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __contains__(&self, kid: &str) -> bool {
        self.inner.key(kid).is_some()
    }

    fn __repr__(&self) -> String {
        format!("<KeyRing kids={:?}>", self.kids())
    }
}

/// A key as `sign` takes it: a `Key`, or the secret bytes themselves.
pub(crate) enum KeyArg<'py> {
    /// A `Key`.
    Key(Bound<'py, PyKey>),
    /// Secret bytes.
    Secret(Vec<u8>),
}

/// `key_id` and `key` for an HMAC profile (EDIFACT security, AUTACK):
/// both, or neither (SHA-256 integrity only). Secret bytes become a `Key`
/// here (at least 32 bytes), so a short secret raises `EdiguardError`.
pub(crate) fn named_key<'k>(
    key_id: Option<&'k str>,
    key: Option<&'k KeyArg<'_>>,
) -> PyResult<Option<(&'k str, Cow<'k, Key>)>> {
    match (key_id, key) {
        (None, None) => Ok(None),
        (Some(kid), Some(KeyArg::Key(k))) => Ok(Some((kid, Cow::Borrowed(&k.get().inner)))),
        (Some(kid), Some(KeyArg::Secret(s))) => {
            let key = Key::new(s.clone()).map_err(key_error)?;
            Ok(Some((kid, Cow::Owned(key))))
        }
        _ => Err(PyValueError::new_err(
            "give both key_id and key, or neither (SHA-256 integrity only)",
        )),
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for KeyArg<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(k) = obj.cast::<PyKey>() {
            return Ok(KeyArg::Key(k.to_owned()));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(KeyArg::Secret(b.as_bytes().to_vec()));
        }
        Err(PyTypeError::new_err("key must be an ediguard.Key or bytes"))
    }
}

/// Signs `data` and returns the EDISIG v1 line (§4.3).
///
/// `key` is a `Key` or the secret bytes (at least 32). `typ` is "x12",
/// "edifact", "eld" or "bin" (None: detected, "bin" when no format is
/// recognised); `canon` "raw" or "eol1" (the key must allow it); `ts` the
/// Unix time (None: now); `ctl` the agreed id of an eld or bin payload
/// (X12 and EDIFACT take theirs from the envelope). A fresh random nonce
/// is drawn for each call. Raises `SignatureError`.
#[pyfunction]
#[pyo3(signature = (data, key_id, key, typ=None, canon="raw", ts=None, ctl=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    py: Python<'_>,
    data: Input,
    key_id: &str,
    key: KeyArg<'_>,
    typ: Option<&str>,
    canon: &str,
    ts: Option<u64>,
    ctl: Option<&str>,
) -> PyResult<String> {
    let canon = self::canon(canon)?;
    let typ = match typ {
        None => None,
        Some(t) => Some(PayloadType::parse(t).ok_or_else(|| {
            PyValueError::new_err(format!(
                "typ must be 'x12', 'edifact', 'eld', 'bin' or None, got {t:?}"
            ))
        })?),
    };
    let owned;
    let key: &Key = match &key {
        KeyArg::Key(k) => &k.get().inner,
        KeyArg::Secret(s) => {
            owned = Key::new(s.clone()).map_err(key_error)?.allow_canon(canon);
            &owned
        }
    };
    let nonce = Nonce::random().map_err(|e| PyOSError::new_err(e.to_string()))?;
    let ts = ts.unwrap_or_else(|| u64::try_from(unix_now()).unwrap_or(0));
    let max = ediguard::Limits::default().max_input_len;
    let result = data.with_bytes(py, max, |bytes| {
        let typ = typ.unwrap_or_else(|| match ediguard::detect(bytes) {
            Ok(ediguard::Format::X12) => PayloadType::X12,
            Ok(ediguard::Format::Edifact) => PayloadType::Edifact,
            Ok(ediguard::Format::Eld) => PayloadType::Eld,
            _ => PayloadType::Bin,
        });
        let mut params = SignParams::new(typ, ts, nonce).with_canon(canon);
        if let Some(ctl) = ctl {
            params = params.with_ctl(ctl);
        }
        Ok::<_, Failure>(edisig::sign(key_id, key, &params, bytes).map(|s| s.to_string()))
    })?;
    result.map_err(|e| signature_error(py, &e, None))
}

/// A signature line, or several (a str with one line per signature, or a
/// sequence of str).
#[derive(FromPyObject)]
pub(crate) enum Lines {
    /// One str.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl Lines {
    fn joined(self) -> String {
        match self {
            Lines::One(s) => s,
            Lines::Many(v) => v.join("\n"),
        }
    }
}

/// A signature that verified: what a receiver keeps as an audit record.
#[pyclass(name = "Verified", module = "ediguard", frozen)]
#[derive(Clone)]
pub(crate) struct PyVerified {
    inner: Verified,
    ledger: Option<&'static str>,
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[pymethods]
impl PyVerified {
    /// The key id.
    #[getter]
    fn kid(&self) -> &str {
        self.inner.signature().kid()
    }

    /// The key's partner.
    #[getter]
    fn partner(&self) -> &str {
        self.inner.partner()
    }

    /// The signature's timestamp, Unix seconds.
    #[getter]
    fn ts(&self) -> u64 {
        self.inner.signature().ts()
    }

    /// The signature's `ctl` (envelope ids, or the agreed id; `-` for none).
    #[getter]
    fn ctl(&self) -> &str {
        self.inner.signature().ctl()
    }

    /// "x12", "edifact", "eld" or "bin".
    #[getter]
    fn typ(&self) -> &'static str {
        self.inner.signature().typ().as_str()
    }

    /// "raw" or "eol1".
    #[getter]
    fn canon(&self) -> &'static str {
        self.inner.signature().canon().as_str()
    }

    /// The nonce, base64url.
    #[getter]
    fn nonce(&self) -> String {
        self.inner.signature().nonce().to_string()
    }

    /// SHA-256 of the (canonicalised) payload, 64 lowercase hex digits.
    #[getter]
    fn sha256(&self) -> String {
        self.inner
            .sha256()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The envelope sender id (X12 ISA06, EDIFACT UNB S002 0004), or None.
    #[getter]
    fn sender(&self) -> Option<String> {
        self.inner.envelope().map(|e| lossy(e.sender()))
    }

    /// The envelope receiver id (X12 ISA08, EDIFACT UNB S003 0010), or None.
    #[getter]
    fn receiver(&self) -> Option<String> {
        self.inner.envelope().map(|e| lossy(e.receiver()))
    }

    /// The interchange control number (ISA13, UNB 0020), or None.
    #[getter]
    fn control_number(&self) -> Option<String> {
        self.inner.envelope().map(|e| lossy(e.control_number()))
    }

    /// With a ledger, what recording the control number found: "new",
    /// "duplicate" or "conflict" (the last two are also raised as
    /// `SignatureError` carrying this object); None without a ledger or
    /// when there is nothing to record (eld or bin with `ctl` "-").
    #[getter]
    fn ledger(&self) -> Option<&'static str> {
        self.ledger
    }

    /// The verified signature line.
    #[getter]
    fn signature(&self) -> String {
        self.inner.signature().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Verified kid={:?} partner={:?} ts={} ctl={:?} sha256={} ledger={}>",
            self.kid(),
            self.partner(),
            self.ts(),
            self.ctl(),
            self.sha256(),
            self.ledger.map_or("None".to_owned(), |l| format!("'{l}'"))
        )
    }
}

/// The verification options of the Python arguments.
struct Settings {
    window: u64,
    skew: u64,
    our_ids: Vec<String>,
    agreed_ctl: Option<String>,
}

impl Settings {
    fn options(&self, now: Option<i64>) -> VerifyOptions {
        let mut options = VerifyOptions::at(now.unwrap_or_else(unix_now))
            .with_window(self.window)
            .with_skew(self.skew)
            .with_our_ids(self.our_ids.iter().cloned());
        if let Some(ctl) = &self.agreed_ctl {
            options = options.with_agreed_ctl(ctl.clone());
        }
        options
    }
}

type Outcome =
    Result<(Verified, Option<Result<&'static str, RustSignatureError>>), RustSignatureError>;

/// Steps 1 to 7, then step 8 with a ledger, all with the interpreter
/// released.
fn run(
    py: Python<'_>,
    data: Input,
    lines: Lines,
    ring: &KeyRing,
    cache: &MemoryReplayCache,
    options: &VerifyOptions,
    ledger: Option<AnyLedger<'_>>,
) -> PyResult<PyVerified> {
    let lines = lines.joined();
    let ledger = ledger.as_ref().map(AnyLedger::as_dyn);
    let outcome: Outcome = data.with_bytes(py, options.max_payload_len, |bytes| {
        let verified = match edisig::verify_lines(&lines, bytes, ring, cache, options) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let recorded = ledger.and_then(|l| {
            let nothing = verified.envelope().is_none() && verified.signature().ctl() == "-";
            if nothing {
                return None;
            }
            Some(match verified.record(l) {
                Ok(()) => Ok(outcome(ediguard::integrity::ledger::Recorded::New)),
                Err(e) => Err(e),
            })
        });
        Ok::<_, Failure>(Ok((verified, recorded)))
    })?;
    let (verified, recorded) = outcome.map_err(|e| signature_error(py, &e, None))?;
    match recorded {
        None => Ok(PyVerified {
            inner: verified,
            ledger: None,
        }),
        Some(Ok(name)) => Ok(PyVerified {
            inner: verified,
            ledger: Some(name),
        }),
        Some(Err(e)) => {
            let name = match e {
                RustSignatureError::Duplicate(_) => Some("duplicate"),
                RustSignatureError::ControlNumberConflict(_) => Some("conflict"),
                _ => None,
            };
            let v = name.map(|ledger| PyVerified {
                inner: verified,
                ledger: Some(ledger),
            });
            Err(signature_error(py, &e, v))
        }
    }
}

/// Verifies `signature` (one EDISIG line, several lines in one str, or a
/// sequence of lines: accepted when any line with a known key verifies)
/// over `data` with `keyring`, in the order of §4.3, with a fresh replay
/// cache (use `Verifier` to detect replays across calls).
///
/// `now` is the verifier's clock in Unix seconds (None: the system clock),
/// `window` the freshness window and `skew` the allowed clock skew in
/// seconds. With `ledger` (`Ledger` or `SqliteLedger`) the control number is
/// recorded (step 8): a duplicate or conflict raises `SignatureError`.
/// `our_ids` lists the receiver's own ids (the envelope receiver must be one
/// of them); `agreed_ctl` is the id an eld or bin signature must carry.
/// Returns `Verified`; raises `SignatureError` with `.code` otherwise.
#[pyfunction]
#[pyo3(signature = (data, signature, keyring, now=None, window=300, skew=60, ledger=None, our_ids=None, agreed_ctl=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify(
    py: Python<'_>,
    data: Input,
    signature: Lines,
    keyring: Bound<'_, PyKeyRing>,
    now: Option<i64>,
    window: u64,
    skew: u64,
    ledger: Option<AnyLedger<'_>>,
    our_ids: Option<Vec<String>>,
    agreed_ctl: Option<String>,
) -> PyResult<PyVerified> {
    let settings = Settings {
        window,
        skew,
        our_ids: our_ids.unwrap_or_default(),
        agreed_ctl,
    };
    let cache = MemoryReplayCache::new(DEFAULT_CACHE);
    run(
        py,
        data,
        signature,
        &keyring.get().inner,
        &cache,
        &settings.options(now),
        ledger,
    )
}

/// A verifier with a replay cache that lives as long as this object: the
/// same signature line verified twice within the window fails with code
/// "replay". Safe to share between threads.
#[pyclass(name = "Verifier", module = "ediguard", frozen)]
pub(crate) struct PyVerifier {
    ring: Py<PyKeyRing>,
    cache: MemoryReplayCache,
    settings: Settings,
    capacity: usize,
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (keyring, *, window=300, skew=60, our_ids=None, agreed_ctl=None, capacity=100_000))]
    fn new(
        keyring: Bound<'_, PyKeyRing>,
        window: u64,
        skew: u64,
        our_ids: Option<Vec<String>>,
        agreed_ctl: Option<String>,
        capacity: usize,
    ) -> Self {
        PyVerifier {
            ring: keyring.unbind(),
            cache: MemoryReplayCache::new(capacity),
            settings: Settings {
                window,
                skew,
                our_ids: our_ids.unwrap_or_default(),
                agreed_ctl,
            },
            capacity,
        }
    }

    /// Verifies like `ediguard.verify`, remembering nonces in this
    /// verifier's replay cache.
    #[pyo3(signature = (data, signature, now=None, ledger=None))]
    fn verify(
        &self,
        py: Python<'_>,
        data: Input,
        signature: Lines,
        now: Option<i64>,
        ledger: Option<AnyLedger<'_>>,
    ) -> PyResult<PyVerified> {
        run(
            py,
            data,
            signature,
            &self.ring.get().inner,
            &self.cache,
            &self.settings.options(now),
            ledger,
        )
    }

    /// The key ring.
    #[getter]
    fn keyring(&self, py: Python<'_>) -> Py<PyKeyRing> {
        self.ring.clone_ref(py)
    }

    /// The freshness window, seconds.
    #[getter]
    fn window(&self) -> u64 {
        self.settings.window
    }

    /// The allowed clock skew, seconds.
    #[getter]
    fn skew(&self) -> u64 {
        self.settings.skew
    }

    fn __repr__(&self) -> String {
        format!(
            "<Verifier kids={:?} window={} skew={} cache={}/{}>",
            self.ring.get().kids(),
            self.settings.window,
            self.settings.skew,
            self.cache.len(),
            self.capacity
        )
    }
}

/// Adds EDIFACT integrated security (a USH..UST group around each message,
/// the §1.8 profile, scope 1) to `data` and returns the secured bytes: a
/// SHA-256 integrity value without a key, HMAC-SHA256 origin authentication
/// with `key_id` and `key` (the receiver looks `key_id` up in its
/// `KeyRing`). The interchange must use syntax version 4. Raises
/// `ParseError` when it cannot be secured.
#[pyfunction]
#[pyo3(signature = (data, reference="1", key_id=None, key=None))]
pub(crate) fn secure_edifact<'py>(
    py: Python<'py>,
    data: Input,
    reference: &str,
    key_id: Option<&str>,
    key: Option<KeyArg<'_>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let key = named_key(key_id, key.as_ref())?;
    let max = ediguard::Limits::default().max_input_len;
    let out = data.with_bytes(py, max, |bytes| {
        let params = match &key {
            Some((kid, k)) => SecureParams::hmac_sha256(reference, kid, k),
            None => SecureParams::sha256(reference),
        };
        secure_interchange(bytes, &params).map_err(|e| Failure::edi(e, bytes))
    })?;
    Ok(PyBytes::new(py, &out))
}
