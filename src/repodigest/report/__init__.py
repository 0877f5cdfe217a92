"""Stage 4: the report model, assembled from commits, facts and analyses."""
