"""Reading, parsing and checking record files. Imports generator.core and generator.labels."""
