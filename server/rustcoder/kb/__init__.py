"""The knowledge base: rustc's error explanations, curated fix recipes and learned examples."""
