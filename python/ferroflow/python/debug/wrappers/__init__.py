"""tfdbg's session wrappers (terminal debugger, dumping) and the Keras callback."""
