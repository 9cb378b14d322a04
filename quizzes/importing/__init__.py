"""Question import and export: file formats in, parsed questions out (no database writes here).

``parse_file`` detects the format of an upload and returns the parsed questions with their errors and
warnings; writes go through ``quizzes.services.imports`` (uploads) and ``quizzes.services.shipped``
(the shipped banks). Formats are described in docs/import-formats.md.
"""
