"""debug.*."""
