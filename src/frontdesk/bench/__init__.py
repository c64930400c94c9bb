"""Benchmarks shipped with the project (`frontdesk bench NAME`).

Each module here exposes `register(subparsers)`; `frontdesk bench` discovers them.
"""
