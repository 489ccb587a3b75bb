"""The KFP run aggregate: commands, events, checks, decisions and folds of runs."""
