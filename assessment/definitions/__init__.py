"""Reading questionnaire definitions from YAML: structure first, then meaning, never half-loaded."""
