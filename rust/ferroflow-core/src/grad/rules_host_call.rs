//! The gradient of a host call: another host call, to the function's gradient, fed the inputs and incoming gradients.

use super::builder::Builder;
use crate::control_flow::{add_with_items, ControlOp};
use crate::error::{Error, Result};
use crate::graph::NodeId;
use crate::host_call::CallSpec;
use crate::op::Op;
use std::sync::Arc;

/// The gradient call's arguments are the forward call's inputs, then one gradient per floating result
/// (zeros where none arrived, so the function always sees the same arguments); it returns one gradient per
/// floating input. Calls without a gradient function, and inputs that are not floating, get None.
pub(super) fn call_grads(
    b: &mut Builder,
    id: NodeId,
    spec: &Arc<CallSpec>,
    out_grads: &[Option<NodeId>],
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let inputs = b.graph.node(id).inputs.clone();
    let mut grads = vec![None; inputs.len()];
    let Some(gradient) = &spec.gradient else { return Ok(grads) };
    let float_inputs: Vec<usize> =
        (0..inputs.len()).filter(|&i| b.graph.node(inputs[i]).dtype.is_float()).collect();
    if !float_inputs.iter().any(|&i| want[i]) || out_grads.iter().all(Option::is_none) {
        return Ok(grads);
    }
    let mut args = inputs.clone();
    for (k, (_, dtype)) in spec.outputs.iter().enumerate() {
        if !dtype.is_float() {
            continue;
        }
        let g = match out_grads.get(k).copied().flatten() {
            Some(g) => g,
            None => {
                let item = result_item(b, id, k)?;
                b.fill_like(item, 0.0)?
            }
        };
        args.push(g);
    }
    let outputs = float_inputs
        .iter()
        .map(|&i| {
            let x = b.graph.node(inputs[i]);
            (x.shape.clone(), x.dtype)
        })
        .collect();
    let backward = CallSpec {
        type_name: spec.type_name,
        function: gradient.clone(),
        outputs,
        gradient: None,
        stateful: true,
    };
    let name = format!("{}/grad", b.scope());
    let (_, results) = add_with_items(b.graph, ControlOp::Call(Arc::new(backward)), &args, &name)?;
    for (&i, r) in float_inputs.iter().zip(results) {
        grads[i] = Some(r);
    }
    Ok(grads)
}

/// The `Item` reading result `k` of control node `id` (`add_with_items` adds one per result).
fn result_item(b: &Builder, id: NodeId, k: usize) -> Result<NodeId> {
    let found = b.graph.nodes().iter().position(|n| {
        matches!(n.op, Op::Control(ControlOp::Item { index, .. }) if index == k)
            && n.inputs.first() == Some(&id)
    });
    found.ok_or_else(|| Error::internal(format!("host call node {id} has no Item for its result {k}")))
}
