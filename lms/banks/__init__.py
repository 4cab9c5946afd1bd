"""Question banks (题库): banks, categories, versioned questions, importers and exporters."""
