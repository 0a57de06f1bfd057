"""Adding ops to a TF1 graph while another thread runs it (queue runners filling a queue as the main thread
builds its dequeue) never deadlocks: runs use the graph as it was compiled, and building waits for the
graph's lock without holding the GIL. Each case runs in a child process under a watchdog, so a deadlock
fails with every thread's stack instead of stalling the suite."""

from watchdog import run_child


def test_dequeue_built_after_the_queue_runners_started():
    out = run_child("""
        import ferroflow as tf
        v1 = tf.compat.v1
        with tf.Graph().as_default():
            q = v1.train.string_input_producer(["a", "b", "c"], capacity=2, shuffle=False)
            with v1.Session() as sess:
                coord = tf.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                # The runner's enqueue now blocks on the full queue inside its run; each dequeue op is
                # built only now, as TF1 loops often do.
                got = [sess.run(q.dequeue()) for _ in range(5)]
                coord.request_stop()
                sess.run(q.close(cancel_pending_enqueues=True))
                coord.join(threads, stop_grace_period_secs=5)
        print(got)
    """, timeout=60)
    assert out.splitlines()[-1] == "[b'a', b'b', b'c', b'a', b'b']"


def test_ops_added_while_a_python_call_in_a_run_waits():
    out = run_child("""
        import threading
        import numpy as np
        import ferroflow as tf
        v1 = tf.compat.v1
        release = threading.Event()
        entered = threading.Event()

        def wait_for_main(v):
            entered.set()
            assert release.wait(30), "the main thread never got to add its op"
            return v * 2

        with tf.Graph().as_default():
            x = v1.placeholder(tf.float32, [])
            y = tf.numpy_function(wait_for_main, [x], tf.float32)
            with v1.Session() as sess:
                result = []
                t = threading.Thread(target=lambda: result.append(sess.run(y, {x: 3.0})))
                t.start()
                assert entered.wait(30)
                z = x + 1.0  # added while the other thread's run is inside the Python call
                release.set()
                t.join()
                print(result[0], sess.run(z, {x: 1.0}))
    """, timeout=60)
    assert out.splitlines()[-1] == "6.0 2.0"
