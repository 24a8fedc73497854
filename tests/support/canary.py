"""The credentials and retry policy the tests' SDK clients use, importable without pytest.

The keys are canaries: the leak tests search every error, repr, log line and pickle for them.
"""

from __future__ import annotations

from flowroutenumbersandmessaging import RetryPolicy

ACCESS_KEY = "canaryAK7f3e9"
SECRET_KEY = "canarySK-51c0ffee-secret"

# Retries without real waiting: tests assert on attempts, not on sleeps.
FAST_RETRIES = RetryPolicy(
    max_retries=2, initial_delay=0.001, max_delay=0.002, rate_limit_min_delay=0.0
)
