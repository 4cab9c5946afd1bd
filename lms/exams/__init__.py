"""Timed exams: blueprints, attempts with server-held deadlines, grading, results."""
