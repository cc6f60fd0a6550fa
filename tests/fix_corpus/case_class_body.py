# expect: left alone: used at import time: class body
import heavypkg


class Settings:
    limit = heavypkg.DEFAULT


def main():
    return Settings.limit
