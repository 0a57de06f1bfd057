"""The public op functions (``ferroflow.matmul``, ``ferroflow.nn.relu`` ...), one module per family."""
