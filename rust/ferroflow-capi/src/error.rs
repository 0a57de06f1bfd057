//! Status codes, error objects (`FfError`: a code and a message) and the guard that turns panics into errors.

use ferroflow_core::{Error, ErrorKind};
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A status code, numbered as TensorFlow's (`TF_Code`) and absl's status codes.
pub type FfCode = i32;
/// Success.
pub const FF_OK: FfCode = 0;
/// An error of no other kind.
pub const FF_UNKNOWN: FfCode = 2;
/// A bad argument: a NULL pointer, a wrong dtype, shape or buffer size, a newer format version.
pub const FF_INVALID_ARGUMENT: FfCode = 3;
/// A missing directory, file or signature, or an op this loader does not know.
pub const FF_NOT_FOUND: FfCode = 5;
/// An allocation that cannot be satisfied.
pub const FF_RESOURCE_EXHAUSTED: FfCode = 8;
/// The graph cannot run as written (an unfed placeholder).
pub const FF_FAILED_PRECONDITION: FfCode = 9;
/// An index outside its valid range.
pub const FF_OUT_OF_RANGE: FfCode = 11;
/// A feature this library does not offer through the C API (string tensors).
pub const FF_UNIMPLEMENTED: FfCode = 12;
/// A bug in ferroflow (a caught panic, for instance).
pub const FF_INTERNAL: FfCode = 13;
/// A truncated, changed or malformed file in the SavedModel directory.
pub const FF_DATA_LOSS: FfCode = 15;

/// An error: a status code and a message. Created by the library, freed with `ff_error_free`.
pub struct FfError {
    code: FfCode,
    message: CString,
}

impl FfError {
    pub fn new(code: FfCode, message: impl Into<String>) -> FfError {
        // A message never holds NUL bytes of its own; replace any so the C string is the whole message.
        let message = message.into().replace('\0', "\\0");
        FfError { code, message: CString::new(message).unwrap_or_default() }
    }

    pub fn invalid(message: impl Into<String>) -> FfError {
        FfError::new(FF_INVALID_ARGUMENT, message)
    }

    pub fn code(&self) -> FfCode {
        self.code
    }

    pub fn message(&self) -> &str {
        self.message.to_str().unwrap_or("")
    }
}

impl From<Error> for FfError {
    fn from(e: Error) -> FfError {
        let code = match e.kind {
            ErrorKind::InvalidArgument | ErrorKind::DType => FF_INVALID_ARGUMENT,
            ErrorKind::OutOfMemory => FF_RESOURCE_EXHAUSTED,
            ErrorKind::FailedPrecondition => FF_FAILED_PRECONDITION,
            ErrorKind::OutOfRange => FF_OUT_OF_RANGE,
            ErrorKind::NotFound => FF_NOT_FOUND,
            ErrorKind::DataLoss => FF_DATA_LOSS,
            ErrorKind::Internal => FF_INTERNAL,
            ErrorKind::Unknown => FF_UNKNOWN,
        };
        FfError::new(code, e.message)
    }
}

/// Stores `result`'s error (if any) in `*error` when `error` is not NULL, and returns its code.
///
/// # Safety
/// `error` is NULL or points to a writable `FfError *`.
unsafe fn report(result: Result<(), FfError>, error: *mut *mut FfError) -> FfCode {
    let (code, boxed) = match result {
        Ok(()) => (FF_OK, std::ptr::null_mut()),
        Err(e) => (e.code, Box::into_raw(Box::new(e))),
    };
    if error.is_null() {
        if !boxed.is_null() {
            drop(Box::from_raw(boxed));
        }
    } else {
        *error = boxed;
    }
    code
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Runs `body`, turning an error or a panic into a code (and `*error`).
///
/// # Safety
/// `error` is NULL or points to a writable `FfError *`.
pub unsafe fn guard(error: *mut *mut FfError, body: impl FnOnce() -> Result<(), FfError>) -> FfCode {
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        Err(FfError::new(FF_INTERNAL, format!("ferroflow panicked (a bug): {}", panic_message(&*payload))))
    });
    report(result, error)
}

/// `guard` for functions returning a pointer: NULL on failure.
///
/// # Safety
/// `error` is NULL or points to a writable `FfError *`.
pub unsafe fn guard_ptr<T>(
    error: *mut *mut FfError,
    body: impl FnOnce() -> Result<*mut T, FfError>,
) -> *mut T {
    let mut out = std::ptr::null_mut();
    guard(error, || {
        out = body()?;
        Ok(())
    });
    out
}

/// Runs `body` for a function that cannot report an error, returning `fallback` if it panics.
pub fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// The error's status code (`FF_INVALID_ARGUMENT` for a NULL error).
///
/// # Safety
/// `error` is NULL or an error from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ff_error_code(error: *const FfError) -> FfCode {
    guard_value(FF_INTERNAL, || error.as_ref().map_or(FF_INVALID_ARGUMENT, |e| e.code))
}

/// The error's message, NUL-terminated; valid until the error is freed ("" for a NULL error).
///
/// # Safety
/// `error` is NULL or an error from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ff_error_message(error: *const FfError) -> *const c_char {
    guard_value(c"".as_ptr(), || error.as_ref().map_or(c"".as_ptr(), |e| e.message.as_ptr()))
}

/// Frees an error (NULL is ignored).
///
/// # Safety
/// `error` is NULL or an error from this library, not yet freed; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ff_error_free(error: *mut FfError) {
    guard_value((), || {
        if !error.is_null() {
            drop(Box::from_raw(error));
        }
    })
}

/// The name of a status code: "OK", "INVALID_ARGUMENT", "NOT_FOUND", ... ("UNKNOWN" for other values).
#[no_mangle]
pub extern "C" fn ff_code_name(code: FfCode) -> *const c_char {
    guard_value(c"UNKNOWN".as_ptr(), || code_name(code).as_ptr())
}

fn code_name(code: FfCode) -> &'static std::ffi::CStr {
    let name: &'static std::ffi::CStr = match code {
        FF_OK => c"OK",
        FF_UNKNOWN => c"UNKNOWN",
        FF_INVALID_ARGUMENT => c"INVALID_ARGUMENT",
        FF_NOT_FOUND => c"NOT_FOUND",
        FF_RESOURCE_EXHAUSTED => c"RESOURCE_EXHAUSTED",
        FF_FAILED_PRECONDITION => c"FAILED_PRECONDITION",
        FF_OUT_OF_RANGE => c"OUT_OF_RANGE",
        FF_UNIMPLEMENTED => c"UNIMPLEMENTED",
        FF_INTERNAL => c"INTERNAL",
        FF_DATA_LOSS => c"DATA_LOSS",
        _ => c"UNKNOWN",
    };
    name
}
