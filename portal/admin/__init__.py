"""Administration pages: people, roles, managers and team membership."""
