"""Operating press: metrics for Prometheus, the request log, the log format, alert rules."""
