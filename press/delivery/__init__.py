"""Releases by e-mail: the delivery queue and the sender."""
