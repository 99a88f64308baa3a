"""The managers' dashboard: filters from the URL, figures computed by the database, CSV export."""
