"""Writers: views of the report model (JSON, workbook template, Word, HTML, PDF)."""
