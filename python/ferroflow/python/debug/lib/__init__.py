"""tfdbg's data layer: dumps of a run in memory and on disk, and debugged ``Session.run`` calls."""
