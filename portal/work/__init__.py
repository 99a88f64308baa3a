"""The agents' and approvers' side: queues, working a ticket, approvals."""
