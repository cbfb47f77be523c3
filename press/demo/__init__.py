"""Demo content for trying press out: `load_demo` loads it once into a database."""

from press.demo.loader import load_demo

__all__ = ["load_demo"]
