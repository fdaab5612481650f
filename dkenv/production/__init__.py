"""production."""
