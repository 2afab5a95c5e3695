"""Test helpers that are not fixtures (LibreOffice, workbook editing)."""
