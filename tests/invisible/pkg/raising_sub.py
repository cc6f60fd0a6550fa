raise ValueError("raised while importing pkg.raising_sub")
