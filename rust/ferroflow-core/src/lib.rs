//! ferroflow-core: tensors, the dataflow graph, CPU kernels and reverse-mode autodiff, with no Python in sight.

pub mod batch_norm_op;
pub mod buffer_pool;
pub mod byte_string;
pub mod conv_op;
pub mod denormals;
pub mod dtype;
pub mod error;
pub mod exec;
mod fusion;
pub mod grad;
pub mod graph;
pub mod image_codec;
pub mod infer;
mod infer_decompositions;
mod infer_strings;
pub mod kernels;
pub mod numerics;
pub mod op;
pub mod op_names;
pub mod records;
pub mod run_cost;
pub mod serving;
pub mod shape;
pub mod string_op;
pub mod tape;
pub mod tensor;
pub mod threading;
pub mod variable;

pub use byte_string::ByteString;
pub use dtype::DType;
pub use error::{Error, ErrorKind, Result};
pub use graph::{Graph, NodeId};
pub use op::Op;
pub use shape::Shape;
pub use tensor::Tensor;
pub use variable::VarHandle;
