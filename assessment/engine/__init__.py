"""The engine: plain data in, plain data out; no web, storage or rendering imports."""
