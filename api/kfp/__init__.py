"""The Kubeflow Pipelines v1beta1 Run API (wire-compatible with the kfp 1.8 client)."""
