//! Host calls: results and gradients through a host function, declared-output checks, and errors passed through.

use crate::control_flow::{add_with_items, ControlOp};
use crate::error::{Error, ErrorKind, Result};
use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::host_call::{CallSpec, HostFunction};
use crate::op::{Op, ReduceOp};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::DType;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// `x -> x^3`, counting its calls; its gradient function maps `(x, dy)` to `3 x^2 dy`.
struct Cube(AtomicUsize);

impl HostFunction for Cube {
    fn call(&self, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        let x = inputs[0].to_f64_vec();
        Ok(vec![Tensor::from_vec(inputs[0].shape(), x.iter().map(|v| v * v * v).collect::<Vec<f64>>())?])
    }
}

struct CubeGrad;

impl HostFunction for CubeGrad {
    fn call(&self, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
        let (x, dy) = (inputs[0].to_f64_vec(), inputs[1].to_f64_vec());
        let g: Vec<f64> = x.iter().zip(&dy).map(|(v, d)| 3.0 * v * v * d).collect();
        Ok(vec![Tensor::from_vec(inputs[0].shape(), g)?])
    }
}

/// Returns whatever it was built with, or fails.
struct Fixed(Result<Vec<Tensor>>);

impl HostFunction for Fixed {
    fn call(&self, _: &[Tensor]) -> Result<Vec<Tensor>> {
        self.0.clone()
    }
}

fn spec(function: Arc<dyn HostFunction>, gradient: Option<Arc<dyn HostFunction>>) -> ControlOp {
    let outputs = vec![(Shape::unknown(), DType::F64)];
    ControlOp::Call(Arc::new(CallSpec {
        type_name: "EagerPyFunc",
        function,
        outputs,
        gradient,
        stateful: true,
    }))
}

fn input(g: &mut Graph) -> NodeId {
    g.add(Op::Placeholder { dtype: DType::F64, shape: Shape::known(&[3]) }, &[], "x").unwrap()
}

#[test]
fn results_and_gradients_come_from_the_host_functions() {
    let cube = Arc::new(Cube(AtomicUsize::new(0)));
    let mut g = Graph::new();
    let x = input(&mut g);
    let (_, out) =
        add_with_items(&mut g, spec(cube.clone(), Some(Arc::new(CubeGrad))), &[x], "cube").unwrap();
    let loss = g.add(Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[out[0]], "").unwrap();
    let grad = crate::grad::gradients(&mut g, &[loss], &[x], None).unwrap()[0].unwrap();
    let plan = Plan::new(&g, &[loss, grad], &[x]).unwrap();
    let got = plan.run(&g, &[Tensor::from_vec(&[3], vec![1.0, -2.0, 0.5]).unwrap()]).unwrap();
    assert_eq!(got[0].to_f64_vec(), vec![1.0 - 8.0 + 0.125]);
    assert_eq!(got[1].to_f64_vec(), vec![3.0, 12.0, 0.75]);
    assert_eq!(cube.0.load(Ordering::SeqCst), 1, "a stateful call runs once per run");
}

#[test]
fn calls_without_a_gradient_function_have_none() {
    let mut g = Graph::new();
    let x = input(&mut g);
    let (_, out) =
        add_with_items(&mut g, spec(Arc::new(Cube(AtomicUsize::new(0))), None), &[x], "c").unwrap();
    assert_eq!(crate::grad::gradients(&mut g, &[out[0]], &[x], None).unwrap(), vec![None]);
}

#[test]
fn results_are_checked_and_errors_keep_their_kind() {
    let cases: Vec<(Result<Vec<Tensor>>, ErrorKind, &str)> = vec![
        (Ok(vec![]), ErrorKind::InvalidArgument, "returned 0 values, 1 were declared"),
        (Ok(vec![Tensor::scalar(1i32)]), ErrorKind::InvalidArgument, "0-th value returned is int32"),
        (Err(Error::unknown("KeyError: 'k'")), ErrorKind::Unknown, "KeyError"),
        (Err(Error::out_of_range("StopIteration")), ErrorKind::OutOfRange, "StopIteration"),
    ];
    for (result, kind, text) in cases {
        let mut g = Graph::new();
        let x = input(&mut g);
        let (_, out) = add_with_items(&mut g, spec(Arc::new(Fixed(result)), None), &[x], "f").unwrap();
        let plan = Plan::new(&g, &[out[0]], &[x]).unwrap();
        let err = plan.run(&g, &[Tensor::from_vec(&[3], vec![0.0; 3]).unwrap()]).unwrap_err();
        assert_eq!(err.kind, kind, "{}", err.message);
        assert!(err.message.contains(text), "{}", err.message);
    }
}
