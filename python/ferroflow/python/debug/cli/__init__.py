"""tfdbg's terminal: command parsing, the line-mode loop, the analyzer commands and the offline analyzer."""
