//! Rules that judge documents. Each rule emits [`crate::Finding`]s into a
//! [`crate::Report`]; every rule runs, and validation never stops at the
//! first finding.

pub mod edifact;
pub mod edisig;
pub mod eld;
pub mod ledger;
pub mod x12;
