"""Questions → fixed SQL templates → typed answers. Reads the database, read-only."""
