//! The sections of the documents. Each builds its view (rows as named structs, numbers in the
//! locale's style) and returns the charts it drew with it; the documents (`super::documents`)
//! assemble them. Sections share only `super::common`, never each other, except the catalogue
//! using the assessment's unit and target texts.

pub mod assessment;
pub mod balance;
pub mod catalogue;
pub mod compensation;
pub mod decisions;
pub mod land;
pub mod maps;
pub mod method;
pub mod progress;
pub mod quality;
pub mod renewables;
pub mod similar;
