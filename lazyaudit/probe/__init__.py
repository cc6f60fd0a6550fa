"""The probe runs inside the target interpreter; see probe.py."""
