"""Caches kept for the life of a process: results that depend on their key and on one owner
object alone (a run's weights), reused across document pairs and partitions.

A corpus repeats its provisions, so the same text is cut, weighed and compared many times; a
cache is emptied when its owner changes (another run's weights never serve this one) and when
it holds ``limit`` entries (a long-lived process does not keep every run's results).
"""
from __future__ import annotations

from typing import ClassVar


class ProcessCache:
    """One dict per owner, emptied when the owner changes or when it is full."""

    every: ClassVar[list[ProcessCache]] = []

    def __init__(self, limit: int):
        self.limit = limit
        self.owner: object = None
        self.data: dict = {}
        ProcessCache.every.append(self)

    def of(self, owner: object = None) -> dict:
        """The entries made under ``owner`` (compared by identity)."""
        if self.owner is not owner:
            self.owner, self.data = owner, {}
        if len(self.data) >= self.limit:
            self.data.clear()
        return self.data

    def clear(self) -> None:
        self.owner, self.data = None, {}


def clear_process_caches() -> None:
    """Empty every cache (benchmarks measure from cold)."""
    for cache in ProcessCache.every:
        cache.clear()
