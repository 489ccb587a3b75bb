"""auth.*: session tokens and credential pairs."""
