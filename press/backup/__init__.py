"""Backing up and restoring press: the database and the stored files in one file."""
