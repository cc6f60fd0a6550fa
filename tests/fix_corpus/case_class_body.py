# expect: left alone: LA206 (class body)
import heavypkg


class Settings:
    limit = heavypkg.DEFAULT


def main():
    return Settings.limit
