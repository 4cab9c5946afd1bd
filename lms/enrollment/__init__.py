"""Enrollment: trainee profiles, cohorts and sessions, applications, attendance, notifications."""
