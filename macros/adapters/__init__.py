"""The adapters: the only modules that know a renderer (MkDocs, Zensical)."""
