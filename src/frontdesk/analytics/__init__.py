"""Read side: queries that return rows, and pure metric and ROI functions over them."""
