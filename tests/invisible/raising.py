VALUE = 1
raise ValueError("raised while importing")
