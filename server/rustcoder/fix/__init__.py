"""Quick-fix candidates, their verification and ranking."""
