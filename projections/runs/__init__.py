"""The KFP runs view: run rows, sort orders, filters and run JSON."""
