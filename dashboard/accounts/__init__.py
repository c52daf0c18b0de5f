"""Accounts, roles, per-structure scope and the audit log (no Streamlit).

- ``access``: what a signed-in person may see of each structure (the level of a selection);
- ``roles``: roles, the scope they grant, the pages each role opens;
- ``passwords``: Argon2id hashing and the minimum length;
- ``store``: users and role grants in the database; ``signin``: sign-in, throttling, sessions;
- ``audit``: the append-only audit log; ``cli``: ``python -m dashboard users ...``.
"""
