"""The project aggregate: the project tree's commands, events, decisions, folds."""
