"""Tests of the SLA business-time engine (portal.sla)."""
