"""Sample budget documents: structured source data and the renderer that prints them as PDFs."""
