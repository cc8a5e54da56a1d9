"""Write workbooks from a form's declaration: templates, prefilled templates, filled returns."""
