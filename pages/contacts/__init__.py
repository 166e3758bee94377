"""Contacts: the index, a contact's page, imports and default status by source, with their private parts."""
