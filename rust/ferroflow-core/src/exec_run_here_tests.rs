//! `Plan::run_here` runs on its caller's thread: it gives `run`'s values and needs no pool worker.

use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, Op, UnaryOp};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::DType;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::Duration;

fn values(len: usize, seed: f32) -> Vec<f32> {
    (0..len).map(|i| ((i as f32 * 0.37 + seed).sin() * 3.0).round() / 4.0).collect()
}

/// relu(x · w + b) for a 600 x 40 `x` and a 40 x 512 `w`: a run long enough that `run` hands it to the pool.
fn dense_graph() -> (Graph, NodeId, NodeId) {
    let mut g = Graph::new();
    let x = g.add(Op::Placeholder { dtype: DType::F32, shape: Shape::known(&[600, 40]) }, &[], "x").unwrap();
    let w = g.add(Op::Const(Tensor::from_vec(&[40, 512], values(40 * 512, 1.0)).unwrap()), &[], "w").unwrap();
    let b = g.add(Op::Const(Tensor::from_vec(&[512], values(512, 2.0)).unwrap()), &[], "b").unwrap();
    let mm = g.add(Op::MatMul { transpose_a: false, transpose_b: false }, &[x, w], "mm").unwrap();
    let add = g.add(Op::Binary(BinaryOp::Add), &[mm, b], "add").unwrap();
    let relu = g.add(Op::Unary(UnaryOp::Relu), &[add], "relu").unwrap();
    (g, x, relu)
}

fn feed() -> Tensor {
    Tensor::from_vec(&[600, 40], values(600 * 40, 3.0)).unwrap()
}

#[test]
fn run_here_gives_the_values_of_run() {
    let (g, x, out) = dense_graph();
    let plan = Plan::new(&g, &[out], &[x]).unwrap();
    let pooled = plan.run(&g, &[feed()]).unwrap()[0].to_f64_vec();
    let here = plan.run_here(&g, vec![feed()]).unwrap()[0].to_f64_vec();
    assert_eq!(here.len(), 600 * 512);
    // Quarter-step inputs: every product is exact in float32, whatever the split.
    assert_eq!(here, pooled);
}

#[test]
fn run_here_finishes_while_every_pool_worker_is_blocked() {
    let (g, x, out) = dense_graph();
    let plan = Plan::new(&g, &[out], &[x]).unwrap();
    let expected = plan.run(&g, &[feed()]).unwrap()[0].to_f64_vec();
    // Every worker waits on a gate, as when the pool is busy with another caller's long kernels.
    let n = crate::threading::num_threads();
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let blocked = Arc::new(AtomicUsize::new(0));
    for _ in 0..n {
        let (gate, blocked) = (gate.clone(), blocked.clone());
        crate::threading::pool().spawn(move || {
            blocked.fetch_add(1, Ordering::AcqRel);
            let (lock, cv) = &*gate;
            let mut open = lock.lock().unwrap();
            while !*open {
                open = cv.wait(open).unwrap();
            }
        });
    }
    while blocked.load(Ordering::Acquire) < n {
        std::thread::yield_now();
    }
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let out = plan.run_here(&g, vec![feed()]).map(|t| t[0].to_f64_vec());
        let _ = send.send(out);
    });
    let result = receive.recv_timeout(Duration::from_secs(20));
    // Open the gate whatever happened, so a failure here does not hold the pool for the other tests.
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    let values = result.expect("run_here waited for a pool worker").unwrap();
    assert_eq!(values, expected);
}
