//! The error type every fallible core function returns; the bindings map each kind to a Python exception.

use std::fmt;

/// What went wrong, coarse enough to pick a Python exception class from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A shape, axis or attribute value that the op cannot accept (Python `ValueError`).
    InvalidArgument,
    /// A dtype the op cannot accept, or two dtypes that do not match (Python `TypeError`).
    DType,
    /// An allocation that cannot be satisfied (Python `MemoryError`).
    OutOfMemory,
    /// The graph cannot run yet: an unfed placeholder, an uninitialized variable.
    FailedPrecondition,
    /// An index outside its valid range (Python `IndexError`).
    OutOfRange,
    /// A file or other named resource that does not exist (Python `NotFoundError`, a `FileNotFoundError`).
    NotFound,
    /// Stored data that cannot be trusted: a record whose CRC does not match, a truncated file.
    DataLoss,
    /// A bug in ferroflow itself.
    Internal,
    /// An error of unknown origin, such as an exception raised by a Python function a graph calls.
    Unknown,
}

/// An error with a message written for the person who made the mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// What raised the error outside the core, when that is worth handing back unchanged: a binding stores
    /// the exception a host function raised, so the caller receives that very exception rather than one
    /// rebuilt from `kind` (which cannot name every class a binding has).
    pub origin: Option<ErrorOrigin>,
}

/// An opaque value a binding attaches to an error (see `Error::origin`); equality ignores it.
#[derive(Clone)]
pub struct ErrorOrigin(pub std::sync::Arc<dyn std::any::Any + Send + Sync>);

impl fmt::Debug for ErrorOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrorOrigin(..)")
    }
}

impl PartialEq for ErrorOrigin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ErrorOrigin {}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), origin: None }
    }
    /// The same error carrying `origin` (see the field).
    pub fn with_origin(self, origin: ErrorOrigin) -> Self {
        Error { origin: Some(origin), ..self }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }
    pub fn dtype(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::DType, message)
    }
    pub fn precondition(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::FailedPrecondition, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
    pub fn out_of_range(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::OutOfRange, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    pub fn data_loss(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::DataLoss, message)
    }
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unknown, message)
    }
    pub fn out_of_memory(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::OutOfMemory, message)
    }
    /// Prefixes the message with the node or op that failed, keeping the kind.
    pub fn context(self, prefix: impl fmt::Display) -> Self {
        Error { message: format!("{prefix}: {}", self.message), ..self }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Returns early with an `InvalidArgument` error built from a format string.
#[macro_export]
macro_rules! bail_invalid {
    ($($arg:tt)*) => { return Err($crate::error::Error::invalid(format!($($arg)*))) };
}
