"""Domain code: store, schema, import and queries. Never imports Qt."""
