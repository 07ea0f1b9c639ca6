"""The engine: read decision files safely, check them, count paths, export. No HTML, no renderer."""
