//! Rules that judge documents. Each rule emits [`crate::Finding`]s into a
//! [`crate::Report`]; every rule runs, and validation never stops at the
//! first finding.

pub mod autack;
pub mod edifact;
pub mod edifact_security;
pub mod edisig;
pub mod eld;
mod keys;
pub mod ledger;
mod parts;
pub mod security;
pub mod x12;
pub mod x12_security;
