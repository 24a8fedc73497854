"""What "at once" means in a test that asserts that something did not wait."""

from __future__ import annotations

# Short next to every wait such a test rules out (a one-second send window, a read timeout of
# a second, a Retry-After far above the cap), long next to a loopback exchange even on a busy
# machine: with the suite's test processes and other work sharing two CPUs, a thread can wait
# a few hundred milliseconds for its turn.
AT_ONCE = 0.8
