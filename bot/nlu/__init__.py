"""calor's own NLU components: MiniLM sentence features and distress detection."""
