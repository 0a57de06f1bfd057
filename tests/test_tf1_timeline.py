"""``RunMetadata`` from traced ``Session.run`` calls, and ``ferroflow.python.client.timeline``.

The reference step stats and Chrome traces come from TensorFlow 2.21: a ``StepStats`` message built there,
serialized (``STEP_STATS_HEX``), and its ``Timeline(...).generate_chrome_trace_format()`` output.
"""

import hashlib
import json
import re
import time

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.compat.v1.run_metadata import StepStats
from ferroflow.python.client import timeline

v1 = tf.compat.v1
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"

# Six nodes on one device (x, w/Read, mm, b overlapping mm, add, a NoOp with a control input), each with an
# output description and memory record, as serialized by TensorFlow.
STEP_STATS_HEX = (
    "0a96030a2c2f6a6f623a6c6f63616c686f73742f7265706c6963613a302f7461736b3a302f6465766963653a4350553a3012"
    "340a017810e80732070a0363707520183a171a15080112081202080212020803220708181a03637075420a78203d205f4172"
    "672829124c0a06772f5265616410e9072002280232070a0363707520303a171a15080112081202080312020804220708301a"
    "036370754219772f52656164203d20526561645661726961626c654f70282912450a026d6d10ec07200a280a32070a036370"
    "7520203a171a15080112081202080212020804220708201a0363707542166d6d203d204d61744d756c28782c20772f526561"
    "642912350a016210ed072003280332070a0363707520103a131a110801120412020804220708101a03637075420b62203d20"
    "436f6e7374282912420a0361646410f7072002280232070a0363707520203a171a1508011208120208021202080422070820"
    "1a036370754212616464203d204164645632286d6d2c20622912200a04696e697410fa07200128014211696e6974203d204e"
    "6f4f70285e61646429"
)
# TensorFlow's generate_chrome_trace_format() of that message (show_dataflow=True, show_memory=False),
# re-encoded compactly.
TRACE = (
    '{"traceEvents":[{"name":"process_name","ph":"M","pid":0,"args":{"name":"Allocators"}},{"name":"process_n'
    'ame","ph":"M","pid":1,"args":{"name":"/job:localhost/replica:0/task:0/device:CPU:0 Compute"}},{"name":"p'
    'rocess_name","ph":"M","pid":2,"args":{"name":"/job:localhost/replica:0/task:0/device:CPU:0 Tensors"}},{"'
    'ph":"X","cat":"Op","name":"_Arg","pid":1,"tid":0,"ts":1000,"dur":0,"args":{"name":"x","op":"_Arg"}},{"ph'
    '":"X","cat":"Op","name":"ReadVariableOp","pid":1,"tid":0,"ts":1001,"dur":2,"args":{"name":"w/Read","op":'
    '"ReadVariableOp"}},{"ph":"X","cat":"Op","name":"MatMul","pid":1,"tid":0,"ts":1004,"dur":10,"args":{"name'
    '":"mm","op":"MatMul","input0":"x","input1":"w/Read"}},{"ph":"X","cat":"Op","name":"Const","pid":1,"tid":'
    '1,"ts":1005,"dur":3,"args":{"name":"b","op":"Const"}},{"ph":"X","cat":"Op","name":"AddV2","pid":1,"tid":'
    '0,"ts":1015,"dur":2,"args":{"name":"add","op":"AddV2","input0":"mm","input1":"b"}},{"ph":"s","cat":"Data'
    'Flow","name":"b","pid":1,"tid":1,"ts":1008,"id":0},{"ph":"t","cat":"DataFlow","name":"b","pid":1,"tid":0'
    ',"ts":1015,"id":0},{"ph":"X","cat":"Op","name":"NoOp","pid":1,"tid":0,"ts":1018,"dur":1,"args":{"name":"'
    'init","op":"NoOp","input0":"^add"}}]}'
)
# sha256 of TensorFlow's trace of the same message with show_memory=True, re-encoded compactly.
TRACE_WITH_MEMORY_SHA256 = "0adf865724f116eb5eb869ca4ace2a75f9e2b0a2ca307b4011c48f7d6dc36eab"


def _step_stats():
    return StepStats.FromString(bytes.fromhex(STEP_STATS_HEX))


def test_timeline_of_tensorflow_step_stats_equals_tensorflows_trace():
    stats = _step_stats()
    assert stats.SerializeToString().hex() == STEP_STATS_HEX  # parsed and written back unchanged
    assert [n.node_name for n in stats.dev_stats[0].node_stats] == ["x", "w/Read", "mm", "b", "add", "init"]
    text = timeline.Timeline(stats).generate_chrome_trace_format()
    assert json.loads(text) == json.loads(TRACE)
    assert text.startswith('{\n    "traceEvents": [')  # indented as TensorFlow's
    with_memory = timeline.Timeline(_step_stats()).generate_chrome_trace_format(show_memory=True)
    compact = json.dumps(json.loads(with_memory), separators=(",", ":"))
    assert hashlib.sha256(compact.encode()).hexdigest() == TRACE_WITH_MEMORY_SHA256


def test_timeline_lanes_flows_and_allocation_maximum():
    analysis = timeline.Timeline(_step_stats()).analyze_step_stats(show_dataflow=True, show_memory=True)
    events = json.loads(analysis.chrome_trace.format_to_string())["traceEvents"]
    ops = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    assert ops["b"]["tid"] == 1 and ops["mm"]["tid"] == 0  # b overlaps mm: second lane
    assert ops["add"]["args"] == {"name": "add", "op": "AddV2", "input0": "mm", "input1": "b"}
    flows = [(e["ph"], e["name"]) for e in events if e.get("cat") == "DataFlow"]
    assert flows == [("s", "b"), ("t", "b")]  # only the edge that crosses lanes
    peak = analysis.allocator_maximums["cpu"]
    assert peak.num_bytes == 24 + 48 + 32 + 16 and peak.tensors == {"x", "w/Read", "mm", "b"}
    with pytest.raises(ValueError, match="op_time"):
        timeline.Timeline(_step_stats()).generate_chrome_trace_format(op_time="wall")
    with pytest.raises(TypeError, match="StepStats"):
        timeline.Timeline({"dev_stats": []})


def _mlp_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 784], name="x")
        labels = v1.placeholder(tf.int64, [None], name="labels")
        hidden = v1.layers.dense(x, 128, activation=tf.nn.relu, name="hidden")
        logits = v1.layers.dense(hidden, 10, name="logits")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = v1.global_variables_initializer()
    rng = np.random.default_rng(0)
    feed = {x: rng.standard_normal((32, 784)).astype("float32"), labels: rng.integers(0, 10, 32)}
    return graph, init, train, loss, logits, feed


def test_full_trace_fills_step_stats_for_every_executed_node():
    graph, init, train, loss, logits, feed = _mlp_graph()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        meta = v1.RunMetadata()
        options = v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE)
        before = time.time_ns() // 1000
        _, loss_value, out = sess.run([train, loss, logits], feed, options=options, run_metadata=meta)
        after = time.time_ns() // 1000
        plain = v1.RunMetadata()
        sess.run(loss, feed, run_metadata=plain)  # no trace asked: nothing filled
    assert np.isfinite(loss_value) and out.shape == (32, 10)
    assert plain.step_stats.dev_stats == [] and plain == v1.RunMetadata()
    (device,) = meta.step_stats.dev_stats
    assert device.device == CPU
    stats = {n.node_name: n for n in device.node_stats}
    assert {"x", "labels", "hidden/Relu", logits.name[:-2]} <= set(stats)
    kernel_read = graph.get_operation_by_name("hidden/MatMul").inputs[1].op.name  # hidden/ReadVariableOp
    assert kernel_read in stats
    # The plan runs MatMul, AddV2 and Relu as one fused kernel, recorded under the last node's name with
    # the group's outside inputs, as TensorFlow records its fused kernels (_FusedMatMul).
    hidden = stats["hidden/Relu"]
    name, op_type, inputs = re.match(r"(.*) = (.*)\((.*)\)", hidden.timeline_label).groups()
    assert name == "hidden/Relu" and "MatMul" in op_type and inputs.split(", ")[:2] == ["x", kernel_read]
    assert before <= hidden.all_start_micros <= after
    assert hidden.op_end_rel_micros == hidden.all_end_rel_micros >= hidden.op_start_rel_micros == 0
    assert hidden.all_start_nanos // 1000 == hidden.all_start_micros
    starts = [n.all_start_micros for n in device.node_stats]
    assert starts == sorted(starts)  # one device, nodes in execution order
    fed = stats["x"].output[0].tensor_description
    assert [d.size for d in fed.shape.dim] == [32, 784] and fed.allocation_description.requested_bytes == 32 * 784 * 4
    fetched = stats[logits.name[:-2]].output[0].tensor_description
    assert [d.size for d in fetched.shape.dim] == [32, 10] and fetched.dtype == 1  # DT_FLOAT
    read = stats[kernel_read].output[0].tensor_description
    assert read.allocation_description.requested_bytes == 784 * 128 * 4
    update = [n for n in device.node_stats if n.timeline_label.startswith(train.name.split(":")[0] + " = NoOp(^")]
    assert len(update) == 1  # the train op, after its updates
    assert all(n.memory[0].allocator_name == "cpu" for n in device.node_stats if n.memory)
    # ferroflow's own summary of the same run
    assert any(op.name == "hidden/Relu" for op in meta.step_stats.ops) and "hidden/Relu" in meta.step_stats.table()
    # a message: bytes round trip, text format
    again = v1.RunMetadata.FromString(meta.SerializeToString())
    assert again == meta and again.step_stats.dev_stats[0].node_stats[0].node_name == device.node_stats[0].node_name
    assert 'device: "/job:localhost/replica:0/task:0/device:CPU:0"' in str(meta.step_stats)
    trace = json.loads(timeline.Timeline(meta.step_stats).generate_chrome_trace_format(show_memory=True))
    ops = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    assert [e["args"]["name"] for e in ops] == [n.node_name for n in device.node_stats]
    assert any(e["ph"] == "C" and e["name"] == "cpu" for e in trace["traceEvents"])


def test_partition_graphs_and_cost_graph():
    graph, init, train, loss, logits, feed = _mlp_graph()
    config = v1.ConfigProto(graph_options=v1.GraphOptions(build_cost_model=2))
    with v1.Session(graph=graph, config=config) as sess:
        sess.run(init)  # step 0: no cost model (every 2nd step)
        meta = v1.RunMetadata()
        options = v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE, output_partition_graphs=True)
        sess.run(logits, feed, options=options, run_metadata=meta)  # step 1
        later = v1.RunMetadata()
        sess.run(logits, feed, run_metadata=later)  # step 2: not a cost-model step
    (partition,) = meta.partition_graphs
    nodes = {n.name: n for n in partition.node}
    out = logits.name[:-2]
    kernel_read = graph.get_operation_by_name("logits/MatMul").inputs[1].op.name  # logits/ReadVariableOp
    assert kernel_read in nodes
    assert nodes[out].input[:2] == ["hidden/Relu", kernel_read]
    assert {n.device for n in partition.node} == {CPU}
    assert list(nodes) == [n.node_name for n in meta.step_stats.dev_stats[0].node_stats]
    cost = {n.name: n for n in meta.cost_graph.node}
    ids = {n.id: n.name for n in meta.cost_graph.node}
    assert [ids[i.preceding_node] for i in cost[out].input_info][:2] == ["hidden/Relu", kernel_read]
    assert cost[out].is_final and not cost["hidden/Relu"].is_final
    assert [d.size for d in cost[out].output_info[0].shape.dim] == [32, 10]
    assert cost[out].output_info[0].size == 32 * 10 * 4
    assert later.cost_graph.node == []


def test_run_options_validate_trace_level():
    assert v1.RunOptions().trace_level == v1.RunOptions.NO_TRACE
    with pytest.raises(ValueError, match="trace_level"):
        v1.RunOptions(trace_level=7)
    with pytest.raises(ValueError, match='no "trace" field'):
        v1.RunOptions(trace=1)
    # TensorFlow's bytes for RunOptions(trace_level=FULL_TRACE, output_partition_graphs=True, timeout_in_ms=5000)
    options = v1.RunOptions(trace_level=3, output_partition_graphs=True, timeout_in_ms=5000)
    assert options.SerializeToString().hex() == "08031088272801"
