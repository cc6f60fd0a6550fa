"""`lazyaudit requests`: send requests through the application inside the booted target
(probe/_lazyaudit_requests.py does, in the target's interpreter), once without and once
with tracemalloc, and turn what the two runs read into a RequestsReport."""
