"""Roles: the titles (``chief spokesman``) and affiliations (``Taliban``) the article states for everyone it
names, speaking or not.

Takes the ``Doc`` and its entities; gives :class:`attribution.types.RoleFact` objects.
Main entry point: :func:`attribution.roles.stated.stated_roles`.
"""
