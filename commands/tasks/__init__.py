"""The task aggregate: commands, events, decisions and folds of tasks.*."""
