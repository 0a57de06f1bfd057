"""predict and fit from threads, asyncio executors and forked, spawned or forkserver children never hang and give
the single-threaded results. Each case runs in a child process under a watchdog (``watchdog.run_child``), so a
deadlock fails its test with every thread's stack instead of stalling the suite."""

import json
import multiprocessing
import sys
import textwrap

import pytest

from watchdog import run_child

_MODELS = """
import json, threading
import numpy as np
import ferroflow as tf

def mlp(hidden, inputs=(784,), seed=0, flatten=False):
    tf.keras.utils.set_random_seed(seed)
    layers = [tf.keras.Input(inputs)]
    if flatten:
        layers.append(tf.keras.layers.Flatten())
    layers += [tf.keras.layers.Dense(hidden, activation="relu"), tf.keras.layers.Dense(10)]
    model = tf.keras.Sequential(layers)
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model

rng = np.random.RandomState(0)
"""



def scenario(body: str) -> str:
    """The shared model helpers followed by a test's own code."""
    return _MODELS + textwrap.dedent(body)


fork_only = pytest.mark.skipif(sys.platform != "linux", reason="the fork start method is Linux's default")


def test_two_threads_predict_while_the_main_thread_waits_in_join():
    out = run_child(scenario("""
        model = mlp(16, inputs=(28, 28), flatten=True)
        x = rng.rand(64, 28, 28).astype("float32")
        want = model.predict(x, verbose=0)
        results = []
        def work():
            results.extend(model.predict(x, verbose=0) for _ in range(20))
        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 40
        assert all(np.array_equal(r, want) for r in results)
        print("ok")
    """))
    assert out.splitlines()[-1] == "ok"


def test_asyncio_run_in_executor_predicts():
    out = run_child(scenario("""
        import asyncio
        model = mlp(512)
        x = rng.rand(64, 784).astype("float32")
        want = model.predict(x, verbose=0)

        async def main():
            loop = asyncio.get_running_loop()
            return await asyncio.gather(*[loop.run_in_executor(None, model.predict, x) for _ in range(8)])

        results = asyncio.run(main())
        assert len(results) == 8 and all(np.array_equal(r, want) for r in results)
        print("ok")
    """))
    assert out.splitlines()[-1] == "ok"


def test_one_row_predicts_from_eight_threads():
    out = run_child(scenario("""
        model = mlp(512)
        rows = [rng.rand(1, 784).astype("float32") for _ in range(8)]
        want = [model.predict(r, verbose=0) for r in rows]
        bad = []
        def work(i):
            for _ in range(50):
                if not np.array_equal(model.predict(rows[i], verbose=0), want[i]):
                    bad.append(i)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert bad == [], bad
        print("ok")
    """))
    assert out.splitlines()[-1] == "ok"


_FORK_CHILD = """
    import multiprocessing, sys
    method = sys.argv[1] if len(sys.argv) > 1 else "{method}"

    def child(queue, x, y):
        model = build()
        out = {{"predict": model.predict(x, verbose=0).tolist()}}
        # Train and predict in the child, then from a thread the child creates.
        hist = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
        out["loss"] = hist.history["loss"]
        seen = {{}}
        t = threading.Thread(target=lambda: seen.update(p=model.predict(x[:7], verbose=0).tolist()))
        t.start()
        t.join()
        out["thread_predict"] = seen["p"]
        queue.put(json.dumps(out))

    def build():
        return mlp(512, seed=3)

    if __name__ == "__main__":
        x = rng.rand(256, 784).astype("float32")
        y = rng.randint(0, 10, 256)
        parent = build()
        want = parent.predict(x, verbose=0)  # the parent's pool exists before the fork
        ctx = multiprocessing.get_context(method)
        queue = ctx.Queue()
        proc = ctx.Process(target=child, args=(queue, x, y))
        proc.start()
        got = json.loads(queue.get(timeout=120))
        proc.join(60)
        assert proc.exitcode == 0, proc.exitcode
        np.testing.assert_allclose(np.array(got["predict"], "float32"), want, rtol=1e-6, atol=1e-6)
        assert len(got["loss"]) == 2 and got["loss"][1] < got["loss"][0], got["loss"]
        assert np.array(got["thread_predict"]).shape == (7, 10)
        # The parent still runs after its child is gone.
        assert np.array_equal(parent.predict(x, verbose=0), want)
        print("ok")
"""


@pytest.mark.parametrize("method", [
    pytest.param("fork", marks=fork_only),
    "spawn",
    pytest.param("forkserver", marks=fork_only),
])
def test_children_predict_and_train(tmp_path, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available on this platform")
    # spawn and forkserver re-import the main module: the scenario must live in a file.
    script = tmp_path / "children.py"
    script.write_text(_MODELS + textwrap.dedent(_FORK_CHILD.format(method=method)))
    out = run_child(f"import runpy, sys; sys.argv = [{str(script)!r}, {method!r}]; "
                    f"runpy.run_path({str(script)!r}, run_name='__main__')", timeout=120)
    assert out.splitlines()[-1] == "ok"


@fork_only
def test_os_fork_child_predicts_after_the_parent_did():
    out = run_child(scenario("""
        import os
        model = mlp(512)
        x = rng.rand(256, 784).astype("float32")
        want = model.predict(x, verbose=0)
        pid = os.fork()
        if pid == 0:
            ok = np.array_equal(model.predict(x, verbose=0), want)
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
        print("ok")
    """))
    assert out.splitlines()[-1] == "ok"


def test_fit_in_one_thread_while_others_predict_several_models():
    out = run_child(scenario("""
        trained, other = mlp(64, seed=1), mlp(32, seed=2)
        x = rng.rand(512, 784).astype("float32")
        y = rng.randint(0, 10, 512)
        other_want = other.predict(x[:50], verbose=0)
        stop = threading.Event()
        errors, seen = [], []
        def serve():
            try:
                while not stop.is_set():
                    p = trained.predict(x[:20], verbose=0)
                    assert p.shape == (20, 10) and np.isfinite(p).all()
                    seen.append(p)
                    assert np.array_equal(other.predict(x[:50], verbose=0), other_want)
            except Exception as e:
                errors.append(repr(e))
        servers = [threading.Thread(target=serve) for _ in range(3)]
        for t in servers:
            t.start()
        trained.fit(x, y, epochs=3, batch_size=32, verbose=0)
        stop.set()
        for t in servers:
            t.join()
        assert errors == [], errors
        assert len(seen) > 0
        # After fit returned, every caller sees the final weights.
        final = trained.predict(x[:20], verbose=0)
        reference = mlp(64, seed=1)
        reference.set_weights(trained.get_weights())
        assert np.array_equal(final, reference.predict(x[:20], verbose=0))
        print("ok")
    """))
    assert out.splitlines()[-1] == "ok"


def test_thread_count_before_and_after_first_use():
    out = run_child("""
        import numpy as np
        import ferroflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(3)
        assert tf.config.threading.get_intra_op_parallelism_threads() == 3
        x = tf.constant(np.ones((600, 600), "float32"))
        tf.matmul(x, x)  # the pool is built now, with 3 threads
        assert tf.config.threading.get_intra_op_parallelism_threads() == 3
        tf.config.threading.set_intra_op_parallelism_threads(3)  # the same count: fine
        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
        except RuntimeError as e:
            assert "cannot be changed after" in str(e), e
            print("refused")
    """)
    assert out.strip() == "refused"
    out = run_child("""
        import ferroflow as tf
        print(tf.config.threading.get_intra_op_parallelism_threads())
    """, env={"RAYON_NUM_THREADS": "1"})
    assert out.strip() == "1"


def test_rayon_global_pool_is_never_started():
    # Small eager ops run on the caller's thread; none of them may reach rayon's global pool, whose threads
    # would double the process's threads (and be missing in a forked child). Only the pool's own threads
    # ("ferroflow-N") may appear.
    out = run_child("""
        import json, os
        import numpy as np
        import ferroflow as tf

        def others():
            names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
            return sorted(n for n in names if not n.startswith("ferroflow-")), len(names)

        before, _ = others()
        x = tf.constant(np.ones((8, 8), "float32"))
        for _ in range(10):
            y = tf.nn.relu(tf.matmul(x, x) - 1.0)
            tf.reduce_sum(y, axis=0)
            tf.random.normal((16, 16))
            tf.one_hot([1, 2], 4)
        big = tf.constant(np.ones((700, 700), "float32"))
        tf.reduce_sum(tf.matmul(big, big))
        after, total = others()
        print(json.dumps([before, after, total - len(after)]))
    """)
    before, after, workers = json.loads(out.splitlines()[-1])
    assert after == before, f"threads started outside the pool: {before} -> {after}"
    assert workers >= 1
