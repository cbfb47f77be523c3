"""The journalist contact registry and data protection."""
