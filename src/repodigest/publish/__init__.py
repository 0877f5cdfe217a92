"""Stage 6: putting rendered reports where people read them."""
