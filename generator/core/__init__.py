"""The bottom of the stack: the record model, months and dates, countries, words, errors and output files. Imports nothing of the generator above it."""
