"""Password hashing that a city's exam opening can afford.

Django's PBKDF2 default (over a million iterations) costs about 0.6 CPU-seconds per login on a 2-core
server: 10,000 cadres logging in at an exam's opening would queue for most of an hour. Argon2id at OWASP's
recommended parameters (m = 19 MiB, t = 2, p = 1) is memory-hard, so it resists GPU cracking at a fraction
of that CPU time. Older hashes are upgraded to it at the person's next login (Django does this for the
first hasher listed in ``PASSWORD_HASHERS``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's first recommended configuration (Password Storage Cheat Sheet)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
