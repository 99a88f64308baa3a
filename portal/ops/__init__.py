"""Running the portal in production: health checks, metrics, logs and rate limits."""
