"""Excerpts: the passages a reader marks, their store, and the exporters.

Used by the app and the CLI. Built in the excerpts issue.
"""
