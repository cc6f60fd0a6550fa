"""`lazyaudit check`: limits on a target's startup memory, judged against an ImportReport.

limits    options and [tool.lazyaudit] keys -> Limits (raises LimitError on bad input)
evaluate  Limits + ImportReport -> CheckOutcome (pure: no printing, no files)
baseline  the comparison with a saved report, and what grew
workers   what N workers of a pre-forking server take together
"""
