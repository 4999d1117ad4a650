"""Components and mandatory results of the fiche, their indicators, the progress view."""
