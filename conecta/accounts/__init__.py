"""Signing in: second factor, brute-force lockout, password rules and the steps a session
must take (second factor, forced password change) before it reaches any page."""
