class DomainError(Exception):
    """A rule of the program refuses the change; the message is for the user."""
