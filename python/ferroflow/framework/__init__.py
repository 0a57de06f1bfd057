"""The tensor, graph and execution machinery shared by every public module."""
