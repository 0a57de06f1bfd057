//! Record files for Python: a streaming reader that hands out records in chunks with the GIL released,
//! the TFRecord writer, CRC32C framing for event files, and the `tf.train.Example` codec.

use crate::errors::to_py;
use ferroflow_core::records::compression::Compression;
use ferroflow_core::records::example::{decode_example, encode_example, FeatureValues};
use ferroflow_core::records::sequence_example::{
    decode_sequence_example, encode_sequence_example, FeatureList,
};
use ferroflow_core::records::sources::{Layout, RecordSource};
use ferroflow_core::records::{crc, framing, writer::TfRecordWriter};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use std::sync::Mutex;

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The records of one file: `read_chunk` returns a list of bytes, empty at the end of the file.
#[pyclass(name = "RecordReader", module = "ferroflow._core", frozen)]
pub struct PyRecordReader {
    source: Mutex<RecordSource>,
}

#[pymethods]
impl PyRecordReader {
    #[new]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python constructor
    #[pyo3(signature = (path, layout="tfrecord", compression="", buffer_size=262144, record_bytes=0, header_bytes=0, footer_bytes=0))]
    fn new(
        py: Python<'_>,
        path: &str,
        layout: &str,
        compression: &str,
        buffer_size: usize,
        record_bytes: usize,
        header_bytes: usize,
        footer_bytes: usize,
    ) -> PyResult<Self> {
        let layout = match layout {
            "tfrecord" => Layout::TfRecord,
            "lines" => Layout::Lines,
            "fixed" => Layout::Fixed { record_bytes, header_bytes, footer_bytes },
            other => return Err(PyValueError::new_err(format!("unknown record layout '{other}'"))),
        };
        let compression = Compression::parse(compression).map_err(to_py)?;
        let source =
            py.detach(|| RecordSource::open(path, &layout, compression, buffer_size)).map_err(to_py)?;
        Ok(PyRecordReader { source: Mutex::new(source) })
    }

    #[pyo3(signature = (max_records=1024, max_bytes=4194304))]
    fn read_chunk<'py>(
        &self,
        py: Python<'py>,
        max_records: usize,
        max_bytes: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        let chunk = py.detach(|| locked(&self.source).next_chunk(max_records, max_bytes)).map_err(to_py)?;
        PyList::new(py, chunk.iter().map(|r| PyBytes::new(py, r)))
    }
}

/// `tf.io.TFRecordWriter`'s native half.
#[pyclass(name = "RecordWriter", module = "ferroflow._core", frozen)]
pub struct PyRecordWriter {
    inner: Mutex<TfRecordWriter>,
}

#[pymethods]
impl PyRecordWriter {
    #[new]
    #[pyo3(signature = (path, compression="", level=None))]
    fn new(path: &str, compression: &str, level: Option<u32>) -> PyResult<Self> {
        let compression = Compression::parse(compression).map_err(to_py)?;
        let w = TfRecordWriter::create(path, compression, level).map_err(to_py)?;
        Ok(PyRecordWriter { inner: Mutex::new(w) })
    }

    fn write(&self, py: Python<'_>, record: &[u8]) -> PyResult<()> {
        if record.len() > 1 << 16 {
            let owned = record.to_vec();
            return py.detach(|| locked(&self.inner).write(&owned)).map_err(to_py);
        }
        locked(&self.inner).write(record).map_err(to_py)
    }

    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| locked(&self.inner).flush()).map_err(to_py)
    }

    fn close(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| locked(&self.inner).close()).map_err(to_py)
    }
}

#[pyfunction]
pub fn crc32c(data: &[u8]) -> u32 {
    crc::crc32c(data)
}

#[pyfunction]
pub fn masked_crc32c(data: &[u8]) -> u32 {
    crc::masked_crc32c(data)
}

/// One TFRecord frame around `data`.
#[pyfunction]
pub fn tfrecord_frame<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &framing::frame(data))
}

/// One feature as Python passes it: key, kind, values.
type FeatureArg<'py> = (Vec<u8>, u8, Bound<'py, PyAny>);

/// A serialized Example from `[(key, kind, values)]` (kind 0: no list, 1 bytes, 2 floats, 3 int64);
/// `features=None` gives an Example without its `features` set.
#[pyfunction]
#[pyo3(signature = (features))]
pub fn encode_example_proto<'py>(
    py: Python<'py>,
    features: Option<Vec<FeatureArg<'py>>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let Some(features) = features else { return Ok(PyBytes::new(py, &[])) };
    let out = features
        .iter()
        .map(|(key, kind, values)| Ok((key.clone(), feature_values(*kind, values)?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyBytes::new(py, &encode_example(Some(&out))))
}

fn feature_values<'py>(kind: u8, values: &Bound<'py, PyAny>) -> PyResult<FeatureValues<Vec<u8>>> {
    Ok(match kind {
        0 => FeatureValues::None,
        1 => FeatureValues::Bytes(values.extract()?),
        2 => FeatureValues::Floats(values.extract()?),
        3 => FeatureValues::Ints(values.extract()?),
        k => return Err(PyValueError::new_err(format!("unknown feature kind {k}"))),
    })
}

fn feature_tuple<'py>(py: Python<'py>, values: &FeatureValues<&[u8]>) -> PyResult<Bound<'py, PyTuple>> {
    let (kind, list) = match values {
        FeatureValues::None => (0u8, PyList::empty(py)),
        FeatureValues::Bytes(v) => (1, PyList::new(py, v.iter().map(|b| PyBytes::new(py, b)))?),
        FeatureValues::Floats(v) => (2, PyList::new(py, v.iter().map(|&x| f64::from(x)))?),
        FeatureValues::Ints(v) => (3, PyList::new(py, v)?),
    };
    PyTuple::new(py, [kind.into_pyobject(py)?.into_any(), list.into_any()])
}

/// One feature list as Python passes it: key, [(kind, values)] per step.
type ListArg<'py> = (Vec<u8>, Vec<(u8, Bound<'py, PyAny>)>);

/// A serialized SequenceExample from context features and feature lists (None: the field is unset).
#[pyfunction]
#[pyo3(signature = (context, feature_lists))]
pub fn encode_sequence_example_proto<'py>(
    py: Python<'py>,
    context: Option<Vec<FeatureArg<'py>>>,
    feature_lists: Option<Vec<ListArg<'py>>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let context = context
        .map(|c| {
            c.iter()
                .map(|(k, kind, v)| Ok((k.clone(), feature_values(*kind, v)?)))
                .collect::<PyResult<Vec<_>>>()
        })
        .transpose()?;
    let lists = feature_lists
        .map(|l| {
            l.iter()
                .map(|(k, steps)| {
                    let steps: FeatureList<Vec<u8>> =
                        steps.iter().map(|(kind, v)| feature_values(*kind, v)).collect::<PyResult<_>>()?;
                    Ok((k.clone(), steps))
                })
                .collect::<PyResult<Vec<_>>>()
        })
        .transpose()?;
    Ok(PyBytes::new(py, &encode_sequence_example(context.as_deref(), lists.as_deref())))
}

/// A serialized SequenceExample as `([(key, kind, values)], [(key, [(kind, values)])])`.
#[pyfunction]
pub fn decode_sequence_example_proto<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyTuple>> {
    let (context, lists) = decode_sequence_example(data).map_err(|e| PyValueError::new_err(e.message))?;
    let context = context
        .iter()
        .map(|(k, v)| {
            let t = feature_tuple(py, v)?;
            PyTuple::new(py, [PyBytes::new(py, k).into_any(), t.get_item(0)?, t.get_item(1)?])
        })
        .collect::<PyResult<Vec<_>>>()?;
    let lists = lists
        .iter()
        .map(|(k, steps)| {
            let steps = steps.iter().map(|s| feature_tuple(py, s)).collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, [PyBytes::new(py, k).into_any(), PyList::new(py, steps)?.into_any()])
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, [PyList::new(py, context)?.into_any(), PyList::new(py, lists)?.into_any()])
}

/// The features of a serialized Example as `[(key bytes, kind, values list)]`.
#[pyfunction]
pub fn decode_example_proto<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyList>> {
    let features = decode_example(data).map_err(|e| PyValueError::new_err(e.message))?;
    let items = features.iter().map(|(key, values)| -> PyResult<Bound<'py, PyTuple>> {
        let t = feature_tuple(py, values)?;
        PyTuple::new(py, [PyBytes::new(py, key).into_any(), t.get_item(0)?, t.get_item(1)?])
    });
    PyList::new(py, items.collect::<PyResult<Vec<_>>>()?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRecordReader>()?;
    m.add_class::<PyRecordWriter>()?;
    m.add_function(wrap_pyfunction!(crc32c, m)?)?;
    m.add_function(wrap_pyfunction!(masked_crc32c, m)?)?;
    m.add_function(wrap_pyfunction!(tfrecord_frame, m)?)?;
    m.add_function(wrap_pyfunction!(encode_example_proto, m)?)?;
    m.add_function(wrap_pyfunction!(decode_example_proto, m)?)?;
    m.add_function(wrap_pyfunction!(encode_sequence_example_proto, m)?)?;
    m.add_function(wrap_pyfunction!(decode_sequence_example_proto, m)?)?;
    Ok(())
}
