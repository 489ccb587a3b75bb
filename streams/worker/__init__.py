"""The worker: the faust app, the decider and projector runtimes and intakes."""
