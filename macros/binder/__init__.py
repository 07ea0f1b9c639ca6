"""The printed binder: the print view of the built site and the guides from the model, laid out as one PDF."""
